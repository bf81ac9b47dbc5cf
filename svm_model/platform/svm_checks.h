// The SVM member of a scenario's `expect`: "svm" {"skinit_executed": bool,
// "cpus": {CPU number: {"gif": bool, "vm_cr": u64, "efer_svme": bool,
// "in_skinit_launch": bool}}, "slb_protected": bool, "iommu_enabled": bool}.
// Check names: "svm.skinit_executed", "svm.slb_protected", "svm.iommu_enabled",
// "svm.cpu0.gif", "svm.cpu1.vm_cr", ...
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/model_api/platform_model.h"
#include "sim/scenario/json_reader.h"

namespace dlsim::svm {

struct SvmCpuExpectation {
  std::optional<bool> gif;
  std::optional<uint64_t> vmCr;
  std::optional<bool> svme;
  std::optional<bool> inSkinitLaunch;
};

struct SvmExpectations : ModelExpectations {
  std::optional<bool> skinitExecuted;
  std::optional<bool> slbProtected;  // some node still holds SKINIT's SLB protection
  std::optional<bool> iommuEnabled;  // the IOMMU's IommuEn (false without an IOMMU)
  std::map<int, SvmCpuExpectation> cpus;
  bool empty() const { return !skinitExecuted && !slbProtected && !iommuEnabled && cpus.empty(); }
  void check(const ModelObservation* obs, std::vector<CheckResult>& out) const override;
};

SvmExpectations parseSvmExpectations(JsonObjectReader& o);

}  // namespace dlsim::svm
