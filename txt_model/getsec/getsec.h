// GETSEC (0F 37) on the TXT platform: the leaves CAPABILITIES, PARAMETERS,
// SENTER (the processor side: checks, rendezvous, RLPs into SENTER sleep,
// then SinitLauncher), SEXIT, SMCTRL, WAKEUP and EXITAC; CPUID.1:ECX SMX and
// VMX; IA32_FEATURE_CONTROL (MSR 0x3A). GETSEC reaches dlsim through
// Unicorn's invalid-opcode path (Unicorn has no SMX), so the handler sees
// every GETSEC, with or without CR4.SMXE.
//
// Each precondition is a strict launch rule (getsec_rules.h) reported to
// ModelHost::launchRules(): mode "hardware" raises the SDM's fault, "stop"
// ends the run naming the rule.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpu_model/special_instructions.h"
#include "sim/launch_rules.h"
#include "sim/reset_kind.h"
#include "txt_model/chipset/launch_chipset.h"
#include "txt_model/getsec/getsec_config.h"
#include "txt_model/getsec/rlp_join.h"
#include "txt_model/getsec/sinit_launcher.h"
#include "txt_model/getsec/smx_state.h"

namespace dlsim {
class Cpu;
class ModelHost;
}  // namespace dlsim

namespace dlsim::txt {

// GETSEC leaf numbers (EAX).
enum GetsecLeaf : uint32_t {
  kCapabilities = 0,
  kEnteraccs = 2,
  kExitac = 3,
  kSenter = 4,
  kSexit = 5,
  kParameters = 6,
  kSmctrl = 7,
  kWakeup = 8,
};

// The name of the model state of a CPU between SENTER and WAKEUP/SEXIT.
inline constexpr const char* kSenterSleep = "senter-sleep";

// TXT.ERRORCODE of a processor TXT shutdown (MLE DG: bit 31 valid, bit 30
// clear for the processor, type in 29:0).
inline constexpr uint32_t kTxtShutdownBadJoinFormat = 0x80000000u | 11;

class Getsec {
 public:
  Getsec(ModelHost& host, const GetsecConfig& config, LaunchChipset& chipset, SinitLauncher* sinit);

  InsnOutcome execute(Cpu& cpu, const DecodedInsn& insn);
  SmxState& smx() { return smx_; }
  uint64_t featureControl(int cpu) const;
  std::optional<uint64_t> readFeatureControl(int cpu) const;
  bool writeFeatureControl(int cpu, uint64_t value);
  // The firmware's value at power-on for one CPU (a model's or test's
  // MsrRegistry::setByPlatform; a scenario gives every CPU's as
  // txt.feature_control, GetsecConfig::featureControl, and its machine.msrs
  // refuses MSR 0x3A): any value of the defined bits, locked or not. A cold
  // reset returns to it.
  bool setPowerOnFeatureControl(int cpu, uint64_t value);
  // After a platform reset: no CPU in AC mode, nothing masked; a cold
  // (power-up) reset also puts IA32_FEATURE_CONTROL back to the scenario's
  // value (only a power-up clears its lock: SDM vol. 2D GETSEC[SENTER]).
  void resetState(ResetKind kind);
  // Machine snapshots (getsec_snapshot.cpp); restore throws InputError on
  // malformed bytes.
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> bytes);

 private:
  // A precondition: nullopt when it holds; otherwise the rule is recorded
  // and the outcome is `hardware` (mode "hardware") or Stop (mode "stop").
  std::optional<InsnOutcome> require(Cpu& cpu, bool holds, const LaunchRule& rule, InsnOutcome hardware,
                                     const std::string& detail = "");
  std::optional<InsnOutcome> requireProtectedCpl0(Cpu& cpu, const LaunchRule& protectedMode, const LaunchRule& cpl0);
  // The AC module EBX (base) and ECX (size) name, as ENTERACCS and SENTER
  // check it (SDM vol. 2D, their #GP(0) conditions), each against its own rules.
  struct ModuleRangeRules {
    const LaunchRule& aligned;  // base 4 KiB aligned
    const LaunchRule& size;     // a multiple of 64, from the minimum to the AC execution area
    const LaunchRule& below4G;  // base + size within 4 GiB
  };
  std::optional<InsnOutcome> requireModuleRange(Cpu& cpu, const ModuleRangeRules& rules);
  bool isBsp(Cpu& cpu);
  bool machineCheckPending(Cpu& cpu, std::string& detail);

  InsnOutcome capabilities(Cpu& cpu);
  InsnOutcome parameters(Cpu& cpu);
  InsnOutcome senter(Cpu& cpu);
  InsnOutcome sexit(Cpu& cpu);
  InsnOutcome smctrl(Cpu& cpu);
  InsnOutcome wakeup(Cpu& cpu);
  InsnOutcome exitac(Cpu& cpu);
  InsnOutcome wakeRlp(Cpu& ilp, int rlp);
  // The MLE JOIN structure at TXT.MLE.JOIN, or why an RLP refuses it.
  std::optional<std::string> readJoin(MleJoin& join) const;
  void startRlpFromJoin(int rlp, const MleJoin& join);
  // Monitor-based wake-up (getsec_rlp_monitor_wake.cpp).
  void parkRlpsOnWakeupAddress(int ilp, uint64_t address);
  bool monitorWakeRlp(Cpu& rlp, uint64_t address);
  InsnOutcome enteraccs(Cpu& cpu, const DecodedInsn& insn);
  uint32_t capabilityBits() const;

  ModelHost& host_;
  GetsecConfig config_;
  LaunchChipset& chipset_;
  SinitLauncher* sinit_;
  SmxState smx_;
  std::vector<uint64_t> featureControl_;
  std::vector<uint64_t> powerOnFeatureControl_;  // per CPU; beyond its end: config_.featureControl
};

// Registers GETSEC, MSR 0x3A and the CPUID bits on `host`, and the IPI
// filter that holds INIT and NMI while SENTER masks them. The Getsec object
// lives as long as the machine (ModelHost::keepAlive); `sinit` may be null
// (SENTER then ends in a #GP-free stop naming the missing SINIT model).
Getsec& installGetsec(ModelHost& host, const GetsecConfig& config, LaunchChipset& chipset, SinitLauncher* sinit);

}  // namespace dlsim::txt
