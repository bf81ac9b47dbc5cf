// The SINIT model: what GETSEC[SENTER] and the SINIT ACM do after the
// rendezvous, in C++ (dlsim never runs SINIT code). In order (SDM vol. 2D
// GETSEC[SENTER] Operation for the processor part, the MLE developer's guide
// for SINIT's; facts in shared/spec/intel-txt.md):
//  1. processor: load the module from [EBX, EBX + ECX), check its format and
//     type, that the MTRRs map it WB, and authenticate it (key hash ==
//     TXT.PUBLIC.KEY, signature) -> TXT shutdown with its type on failure;
//  2. processor: measure it at locality 4 (LaunchMeasurer::measureAcm), open
//     private space and locality 3 for the ACM;
//  3. SINIT: the platform (chipset/processor ID lists, SINIT.BASE/SIZE), the
//     heap, the MLE page tables and header, PMRs, DPR and MTRRs; then it
//     applies OsSinitData's PMRs to every unit the ACPI DMAR names and keeps
//     a copy of that DMAR (docs/txt-vtd.md);
//  4. SINIT: measure the launch at locality 3 (measureLaunch) and write
//     SinitMleData (with the DMAR copy) after OsSinitData;
//  5. SINIT: close locality 3, open locality 2, STS.SENTER.DONE, enter the
//     MLE in the state spec §6 gives.
// Every check is a strict launch rule (sinit_rules.h): "hardware" writes
// its ERRORCODE and resets the platform (TXT reset), "stop" ends the run
// naming it. A scenario may inject a rule's failure at its step.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/launch_rules.h"
#include "txt_model/getsec/sinit_launcher.h"
#include "txt_model/sinit/sinit_pmr_programmer.h"
#include "txt_model/heap/heap_validate.h"
#include "txt_model/measure/launch_measurer.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim {
class GuestMemory;
}

namespace dlsim::txt {

class TxtChipset;
namespace sinit_rules {
struct SinitRule;
}

struct SinitModelConfig {
  TxtProfile profile;
  // Scenario overrides ("txt.sinit"): the SinitMleData version SINIT writes
  // and the capabilities it supports (default: the profile's version and the
  // ACM information table's capabilities).
  std::optional<uint32_t> sinitMleDataVersion;
  std::optional<uint32_t> capabilities;
  // A rule id (sinit_rules) whose check fails at its step, as if broken.
  std::string injectError;
  // The platform's TPM family (heap policy: which event-log element SINIT needs).
  heap::TpmFamily tpm = heap::TpmFamily::kTpm20;
  // The platform's logical processors (those SENTER's rendezvous gathers),
  // compared with BiosData.NumLogicalProcs; 0: not compared.
  uint32_t logicalProcessors = 0;
};

// How the last SENTER ended, for the report.
struct SinitOutcome {
  bool done = false;          // the MLE was entered
  std::string step;           // the failing step ("acm", "heap", "mle", ...); "" when done
  std::string rule;           // the broken rule's id
  std::string detail;
  uint32_t errorCode = 0;     // ERRORCODE written (0 when done or mode "stop")
  uint64_t mleEntry = 0;      // physical entry point (done)
  std::optional<uint64_t> rlpWakeupAddr;
  // DMA protection SINIT applied (done): the ACPI DMAR it found and copied
  // into SinitMleData (size 0: none; `dmarNote` says why) and each unit the
  // DMAR names, as programming it came out.
  uint32_t dmarCopySize = 0;
  std::string dmarNote;
  std::vector<PmrUnitResult> pmrUnits;
};

class SinitModel final : public SinitLauncher {
 public:
  SinitModel(SinitModelConfig config, TxtChipset& chipset, GuestMemory& memory, LaunchRules& rules,
             LaunchMeasurer& measurer);

  InsnOutcome senter(Cpu& ilp, uint32_t base, uint32_t size, uint32_t edx) override;
  std::optional<uint64_t> rlpWakeupAddress() const override;
  // Where SINIT programs the DMA-remapping units' PMRs (the platform's;
  // none: the DMAR is still copied, no unit is programmed).
  void setPmrProgrammer(SinitPmrProgrammer* programmer) { pmrProgrammer_ = programmer; }

  const std::optional<SinitOutcome>& lastOutcome() const { return outcome_; }
  // A platform reset ends the measured environment (the wake-up address is
  // gone; the outcome stays for the report).
  void platformReset();
  // Machine snapshots (sinit_snapshot.cpp); restore throws InputError on bad bytes.
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> bytes);

 private:
  struct Launch;  // one SENTER's working state (sinit_model.cpp)
  // Records a broken rule: "stop" mode ends the run; "hardware" writes
  // ERRORCODE (`code`, or the rule's) and resets the platform.
  InsnOutcome fail(Cpu& ilp, const std::string& step, const sinit_rules::SinitRule& rule, const std::string& detail,
                   std::optional<uint32_t> code = std::nullopt);
  // Whether `holds` survives the scenario's injected error for `rule`.
  bool holds(bool ok, const sinit_rules::SinitRule& rule) const;
  std::optional<InsnOutcome> checkAcm(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> checkPlatform(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> checkHeap(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> checkMle(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> checkProtection(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> checkMtrrs(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> applyDmaProtection(Cpu& ilp, Launch& l);
  std::optional<InsnOutcome> writeSinitMleData(Cpu& ilp, Launch& l, const LaunchMeasurementResult& m);
  InsnOutcome enterMle(Cpu& ilp, Launch& l);

  SinitModelConfig config_;
  TxtChipset& chipset_;
  GuestMemory& memory_;
  LaunchRules& rules_;
  LaunchMeasurer& measurer_;
  SinitPmrProgrammer* pmrProgrammer_ = nullptr;
  std::optional<uint64_t> rlpWakeup_;
  std::optional<SinitOutcome> outcome_;
};

}  // namespace dlsim::txt
