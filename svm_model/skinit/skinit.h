// SKINIT (0F 01 DE) on the SVM platform (APM vol. 2 15.27): the checks, then
// in the order of 15.27.6 the BSP's INIT-like re-initialisation into flat
// 32-bit protected mode (skinit_entry_state.h), EAX[15:0] cleared and the
// 64 KiB SLB protected against DMA (slb_protection.h), the multiprocessor
// handshake (the APs must already wait for SIPI), the SL image sent to the
// TPM at locality 4 as HASH_START / HASH_DATA / HASH_END (without waiting for
// a result; no TPM, no hash: the launch still starts), GIF cleared, VM_CR
// DPD|R_INIT|DIS_A20M set, and the jump to SLB base + entry offset.
// After SKINIT, each AP's first start-up IPI clears its GIF and sets its
// VM_CR DPD|R_INIT|DIS_A20M (15.27.8).
//
// SKINIT reaches dlsim through Unicorn's invalid-opcode path (QEMU's SKINIT
// helper raises #UD), so the handler sees every SKINIT. Each precondition is
// a strict launch rule (skinit_rules.h).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpu_model/special_instructions.h"
#include "sim/launch_rules.h"
#include "svm_model/cpu/svm_cpu_state.h"
#include "svm_model/skinit/slb_protection.h"

namespace dlsim {
class ModelHost;
enum class IpiKind;
}  // namespace dlsim

namespace dlsim::svm {

// What the last SKINIT did, for the report.
struct SkinitLaunch {
  int cpu = 0;
  uint32_t eax = 0;      // as the guest gave it
  uint32_t slbBase = 0;  // EAX with bits 15:0 cleared
  uint16_t entryOffset = 0, length = 0;
  uint32_t measuredLength = 0;  // bytes hashed: length rounded up to 4
  bool tpmPresent = false;      // a TPM answered at locality 4 and got the hash
  std::vector<int> apsNotParked;  // APs not waiting for SIPI when SKINIT ran
  bool operator==(const SkinitLaunch&) const = default;
};

class Skinit {
 public:
  // `protection` receives protectSlb(base); its owner resets and snapshots it.
  Skinit(ModelHost& host, SvmCpus& cpus, SlbProtection& protection);

  InsnOutcome execute(Cpu& cpu, const DecodedInsn& insn);
  // The IPI filter: the start-up IPI effects on APs and the rule on INIT.
  bool onIpi(int target, IpiKind kind, uint8_t vector);

  const std::optional<SkinitLaunch>& launch() const { return launch_; }
  void resetState();
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> bytes);

 private:
  // True when the rule is broken and its mode is "stop" (the handler then
  // returns InsnOutcome::Stop); records it either way.
  bool stops(Cpu& cpu, bool holds, const LaunchRule& rule, const std::string& detail);
  bool svmEnabled(Cpu& cpu);
  void startAp(int ap);

  ModelHost& host_;
  SvmCpus& cpus_;
  SlbProtection& protection_;
  std::optional<SkinitLaunch> launch_;
};

// Registers SKINIT and its IPI filter on `host`. `protection` is the
// northbridge's SLB protection (SL_DEV / MEMPROT, svm_dma_install.h). The
// Skinit object lives as long as the machine.
Skinit& installSkinit(ModelHost& host, SvmCpus& cpus, SlbProtection& protection);

}  // namespace dlsim::svm
