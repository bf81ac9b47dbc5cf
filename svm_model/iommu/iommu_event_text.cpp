#include "svm_model/iommu/iommu_event_text.h"

#include "sim/hex.h"
#include "svm_model/iommu/iommu_registers.h"

namespace dlsim::svm {

std::string iommuEventName(uint8_t code) {
  switch (code) {
    case iommu::kEvIllegalDevTableEntry: return "ILLEGAL_DEV_TABLE_ENTRY";
    case iommu::kEvIoPageFault: return "IO_PAGE_FAULT";
    case iommu::kEvDevTabHardwareError: return "DEV_TAB_HARDWARE_ERROR";
    case iommu::kEvIllegalCommand: return "ILLEGAL_COMMAND_ERROR";
    case iommu::kEvCommandHardwareError: return "COMMAND_HARDWARE_ERROR";
    default: return "EVENT_" + hex(code);
  }
}

std::string describeIommuEvent(const IommuEvent& e) {
  std::string s = iommuEventName(e.code) + " device " + hex(e.deviceId) + " address " + hex(e.address);
  if (e.flags) s += " flags " + hex(e.flags);
  s += e.logged ? " (logged)" : " (not in the event log)";
  return s;
}

}  // namespace dlsim::svm
