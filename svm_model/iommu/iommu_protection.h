// The AMD IOMMU's device table as a protection on the platform's DMA port
// (AmdIommu::allowDma decides). Add it after the SLB protection: the
// IOMMU's own device-table reads then meet the SLB protection first.
#pragma once
#include "sim/dma_port.h"
#include "svm_model/iommu/amd_iommu.h"

namespace dlsim::svm {

class AmdIommuProtection : public DmaProtection {
 public:
  explicit AmdIommuProtection(AmdIommu& iommu) : iommu_(iommu) {}
  std::string name() const override { return "amd-iommu"; }
  bool allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) override {
    return iommu_.allowDma(requesterId, gpa, len, write);
  }
  // The access itself, named by why the IOMMU refused it ("IOMMU: DTE 0x18:
  // no write permission (IW = 0)"); DmaPort asks right after allow().
  std::optional<DmaRegion> regionOf(uint64_t gpa, uint64_t len) const override {
    return DmaRegion{"IOMMU: " + iommu_.lastRefusal(), gpa, len};
  }

 private:
  AmdIommu& iommu_;
};

}  // namespace dlsim::svm
