#include "svm_model/platform/svm_dma_install.h"

#include <memory>

#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "sim/pci/pci_config_space.h"
#include "svm_model/platform/svm_dma_rules.h"

namespace dlsim::svm {

namespace {

// SKINIT's seam to the northbridge: arms SL_DEV / MEMPROT on every node.
class SlDevSlbProtection : public SlbProtection {
 public:
  explicit SlDevSlbProtection(AmdDmaHardware& hw) : hw_(hw) {}
  void protectSlb(uint64_t base) override { hw_.slDev().protectSlb(base); }

 private:
  AmdDmaHardware& hw_;
};

// Owns both so one keepAlive covers them (the adapter refers to the hardware).
struct DmaParts {
  std::unique_ptr<AmdDmaHardware> hardware;
  std::unique_ptr<SlDevSlbProtection> adapter;
};

void checkRelease(ModelHost& host, const SlDevRelease& r) {
  if (!r.lastNode || (r.iommuPresent && r.iommuTranslating)) return;
  const LaunchRule& rule = dma_rules::kSlDevReleasedUnprotected;
  const std::string detail = "node " + std::to_string(r.node) + " released the SLB at " + hex(r.slbBase) +
                             (r.iommuPresent ? " while the IOMMU's IommuEn is clear" : " and the platform has no IOMMU");
  // The release is a configuration write; the writing CPU is not known here: cpu -1.
  if (host.launchRules().broken(rule, -1, 0, detail) == RuleMode::Stop)
    host.endRun("launch-rule", LaunchRules::stopDetail(rule, detail));
}

}  // namespace

AmdDmaOptions amdDmaOptionsFor(const SvmProfile& p) {
  AmdDmaOptions o;
  o.northbridge.release = p.dmaProtection == DmaProtectionKind::Dev ? SlbRelease::kLegacyDev : SlbRelease::kMemprotCr;
  o.northbridge.nodes = p.nodes;
  o.northbridge.f0DeviceId = p.nbF0DeviceId;
  o.northbridge.f3DeviceId = p.nbF3DeviceId;
  if (p.iommu) {
    AmdIommuOptions i;
    i.deviceId = p.iommuDeviceId;
    i.mmioBase = p.iommuMmioBase;
    o.iommu = i;
  }
  return o;
}

SvmDma installSvmDma(ModelHost& host, const SvmProfile& profile) {
  auto parts = std::make_shared<DmaParts>();
  parts->hardware = std::make_unique<AmdDmaHardware>(amdDmaOptionsFor(profile), host.dma());
  parts->adapter = std::make_unique<SlDevSlbProtection>(*parts->hardware);
  host.keepAlive(parts);
  AmdDmaHardware* hw = parts->hardware.get();
  hw->install(host.pci(), host.bus(), host.snapshotParts());
  host.onReset([hw](ResetKind) { hw->reset(); });
  hw->onSlDevRelease([&host](const SlDevRelease& r) { checkRelease(host, r); });
  if (profile.iommu) host.addAcpiTable(hw->ivrs(AcpiIds{}));
  SvmDma out;
  out.hardware = hw;
  out.slbProtection = parts->adapter.get();
  out.msrs = &installAmdConfigMsrs(host, profile.mmioCfgBase, profile.nbCfg);
  return out;
}

}  // namespace dlsim::svm
