// The SKINIT launch facts and the AMD DMA state in the SVM report (JSON
// members "launch" and "dma" of "svm", and their text lines): what
// Skinit::launch() recorded, each node's SLB protection, the IOMMU and its
// events, the northbridge MSRs. Blocked accesses themselves are in the core
// report's "dma" list with their region names.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "svm_model/skinit/skinit.h"

namespace dlsim::svm {

struct SvmDma;

struct SvmDmaReport {
  std::string protection;           // "dev" or "sl_dev" (the profile's kind)
  std::vector<bool> slbProtected;   // per node: SL_DEV_EN / MEMPROT_EN still set
  std::optional<uint64_t> slbBase;  // the SLB SKINIT protected, once it ran
  bool iommuPresent = false;
  bool iommuEnabled = false;         // IommuEn: device DMA meets the device table
  std::vector<std::string> iommuEvents;  // one line each (describeIommuEvent)
  uint64_t mmioCfgBase = 0, nbCfg = 0;   // MSR 0xC001_0058 and 0xC001_001F
  bool anySlbProtected() const;
  bool operator==(const SvmDmaReport&) const = default;
};

SvmDmaReport observeSvmDma(const SvmDma& dma, const std::string& protection);

// "launch": {"slb_base", "entry_offset", "length", "bytes_hashed", "tpm_present", "aps_not_parked"}
nlohmann::json svmLaunchJson(const SkinitLaunch& l);
// "dma": {"protection", "slb_protected": [per node], "slb_base", "iommu": {...}, "mmio_cfg_base", "nb_cfg"}
nlohmann::json svmDmaJson(const SvmDmaReport& d);
std::string svmLaunchText(const SkinitLaunch& l);
std::string svmDmaText(const SvmDmaReport& d);

}  // namespace dlsim::svm
