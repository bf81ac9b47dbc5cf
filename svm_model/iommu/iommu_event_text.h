// Names and one-line descriptions of the IOMMU's events for reports (the
// names Linux's amd_iommu driver prints: drivers/iommu/amd/iommu.c).
#pragma once
#include <cstdint>
#include <string>

#include "svm_model/iommu/amd_iommu.h"

namespace dlsim::svm {

// "COMMAND_HARDWARE_ERROR"; "EVENT_0x9" for a code the model never raises.
std::string iommuEventName(uint8_t code);
// "IO_PAGE_FAULT device 0x18 address 0x100000 flags 0x20 (logged)".
std::string describeIommuEvent(const IommuEvent& e);

}  // namespace dlsim::svm
