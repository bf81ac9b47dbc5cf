#include "svm_model/platform/svm_dma_rules.h"

namespace dlsim::svm::dma_rules {

// APM vol. 2 15.27.6 step 2: SKINIT's SL_DEV protection covers the SLB; what
// protects it afterwards is the secure loader's business. SKL (iommu.c,
// main.c) sets up the IOMMU's device table and IommuEn before it clears
// SL_DEV_EN / MEMPROT_EN; releasing first leaves the SLB open to devices.
const LaunchRule kSlDevReleasedUnprotected{
    "dma.sl-dev-released-unprotected", "APM vol. 2 15.27.6; SKL iommu.c",
    "the SLB's SL_DEV / MEMPROT protection is released on the last node only while an IOMMU translates device "
    "DMA (IommuEn set)"};

const std::vector<LaunchRule>& all() {
  static const std::vector<LaunchRule> rules{kSlDevReleasedUnprotected};
  return rules;
}

}  // namespace dlsim::svm::dma_rules
