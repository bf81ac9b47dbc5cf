#include "svm_model/platform/svm_dma_report.h"

#include <algorithm>

#include "sim/hex.h"
#include "svm_model/iommu/iommu_event_text.h"
#include "svm_model/platform/svm_dma_install.h"

namespace dlsim::svm {

using nlohmann::json;

bool SvmDmaReport::anySlbProtected() const {
  return std::any_of(slbProtected.begin(), slbProtected.end(), [](bool b) { return b; });
}

SvmDmaReport observeSvmDma(const SvmDma& dma, const std::string& protection) {
  SvmDmaReport r;
  r.protection = protection;
  AmdDmaHardware& hw = *dma.hardware;
  for (unsigned n = 0; n < hw.slDev().nodes(); ++n) r.slbProtected.push_back(hw.slDev().enabledOn(n));
  if (hw.slDev().lastBase() != 0 || r.anySlbProtected()) r.slbBase = hw.slDev().lastBase();
  if (AmdIommu* iommu = hw.iommu()) {
    r.iommuPresent = true;
    r.iommuEnabled = iommu->translating();
    for (const IommuEvent& e : iommu->events()) r.iommuEvents.push_back(describeIommuEvent(e));
  }
  if (dma.msrs) {
    r.mmioCfgBase = dma.msrs->mmioCfgBase();
    r.nbCfg = dma.msrs->nbCfg();
  }
  return r;
}

json svmLaunchJson(const SkinitLaunch& l) {
  return {{"cpu", l.cpu},
          {"eax", hex(l.eax)},
          {"slb_base", hex(l.slbBase)},
          {"entry_offset", hex(l.entryOffset)},
          {"length", hex(l.length)},
          {"bytes_hashed", l.measuredLength},
          {"tpm_present", l.tpmPresent},
          {"aps_not_parked", l.apsNotParked}};
}

json svmDmaJson(const SvmDmaReport& d) {
  json j = json::object();
  j["protection"] = d.protection;
  j["slb_protected"] = d.slbProtected;
  j["slb_base"] = d.slbBase ? json(hex(*d.slbBase)) : json(nullptr);
  json iommu = {{"present", d.iommuPresent}, {"enabled", d.iommuEnabled}, {"events", d.iommuEvents}};
  j["iommu"] = iommu;
  j["mmio_cfg_base"] = hex(d.mmioCfgBase);
  j["nb_cfg"] = hex(d.nbCfg);
  return j;
}

std::string svmLaunchText(const SkinitLaunch& l) {
  return "  svm launch: SKINIT on CPU " + std::to_string(l.cpu) + ", SLB " + hex(l.slbBase) + " (EAX " + hex(l.eax) +
         "), entry +" + hex(l.entryOffset) + ", length " + hex(l.length) + ", " + std::to_string(l.measuredLength) +
         " bytes hashed, " + (l.tpmPresent ? "TPM at locality 4" : "no TPM: not measured") + "\n";
}

std::string svmDmaText(const SvmDmaReport& d) {
  std::string o = "  svm dma: " + d.protection + ", SLB ";
  o += d.slbBase ? hex(*d.slbBase) : std::string("-");
  o += ", protected on node";
  for (size_t n = 0; n < d.slbProtected.size(); ++n)
    o += (n ? "," : " ") + std::to_string(n) + "=" + (d.slbProtected[n] ? "yes" : "no");
  o += d.iommuPresent ? (d.iommuEnabled ? ", IOMMU enabled" : ", IOMMU present, IommuEn clear") : ", no IOMMU";
  o += ", MSR 0xC001_0058 " + hex(d.mmioCfgBase) + ", NB_CFG " + hex(d.nbCfg) + "\n";
  for (const std::string& e : d.iommuEvents) o += "  svm iommu event: " + e + "\n";
  return o;
}

}  // namespace dlsim::svm
