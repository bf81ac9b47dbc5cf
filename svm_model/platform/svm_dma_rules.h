// The strict launch rule of the AMD DMA hardware around an SKINIT launch
// (sim/launch_rules.h), listed in docs/svm-rules.md: the SLB must not lose
// SKINIT's SL_DEV / MEMPROT protection before the IOMMU translates device
// DMA (SKL's order: device table and IommuEn first, then the release).
#pragma once
#include <vector>

#include "sim/launch_rules.h"

namespace dlsim::svm::dma_rules {

extern const LaunchRule kSlDevReleasedUnprotected;  // last node's release while no IOMMU translates

const std::vector<LaunchRule>& all();

}  // namespace dlsim::svm::dma_rules
