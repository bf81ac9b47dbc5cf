// What a run leaves behind about SVM for checks and reports: the profile,
// whether SKINIT ran, and per CPU its GIF, VM_CR, VM_HSAVE_PA, EFER.SVME,
// whether it is in an SKINIT launch and what it still holds pending for the
// GIF. Rendering in svm_report.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"
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

  // "svm": {"profile", "skinit_executed", "cpus": [{"cpu", "gif", "vm_cr", ...}],
  //         "launch": {...} (after SKINIT), "dma": {...}}
  void addToJson(nlohmann::json& run) const override;
  // One line for the platform, one per CPU, then the launch and DMA lines.
  std::string text() const override;
};

// VM_CR's set bits by name, e.g. "R_INIT|DPD" ("-" for none).
std::string vmCrNames(uint64_t vmCr);

}  // namespace dlsim::svm
