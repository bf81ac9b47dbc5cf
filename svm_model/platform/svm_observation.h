// What a run leaves behind about SVM for checks and reports: the profile,
// whether SKINIT ran, and per CPU its GIF, VM_CR, VM_HSAVE_PA, EFER.SVME,
// whether it is in an SKINIT launch and what it still holds pending for the
// GIF. Rendering in svm_report.cpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"
#include "svm_model/handoff/skl_event_log.h"
#include "svm_model/platform/svm_dma_report.h"

namespace dlsim::svm {

struct SvmCpuReport {
  int cpu = 0;
  bool gif = true;
  uint64_t vmCr = 0;
  uint64_t hsavePa = 0;
  bool svme = false;  // EFER.SVME
  bool inSkinitLaunch = false;
  bool initHeld = false, nmiHeld = false;
  bool operator==(const SvmCpuReport&) const = default;
};

struct SvmObservation : ModelObservation {
  std::string profile;
  bool skinitExecuted = false;
  std::vector<SvmCpuReport> cpus;
  std::optional<SkinitLaunch> launch;  // the last SKINIT's facts (svm_dma_report.h)
  std::optional<SvmDmaReport> dma;     // the AMD DMA hardware's state
  std::optional<SklEventLog> eventLog;  // with svm.handoff: SKL's DRTM log area after the run


  // "svm": {"profile", "skinit_executed", "cpus": [{"cpu", "gif", "vm_cr", ...}],
  //         "launch": {...} (after SKINIT), "dma": {...},
  //         "event_log": {...} (with a hand-off: svm_event_log_report.h)}
  void addToJson(nlohmann::json& run) const override;
  // One line for the platform, one per CPU, then the launch and DMA lines
  // and the event log's line.
  std::string text() const override;
  // SKL's log as written (`dlsim run --event-log-out`), when it is.
  const std::vector<uint8_t>* eventLogBytes() const override {
    return eventLog && eventLog->state == SklLogState::Written ? &eventLog->bytes : nullptr;
  }
};

// VM_CR's set bits by name, e.g. "R_INIT|DPD" ("-" for none).
std::string vmCrNames(uint64_t vmCr);

}  // namespace dlsim::svm
