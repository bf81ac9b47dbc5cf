// Event names and descriptions for reports.
#include <gtest/gtest.h>

#include "svm_model/iommu/iommu_event_text.h"

namespace dlsim::svm {
namespace {

TEST(IommuEventTextTest, NamesAndDescribesEvents) {
  EXPECT_EQ(iommuEventName(1), "ILLEGAL_DEV_TABLE_ENTRY");
  EXPECT_EQ(iommuEventName(2), "IO_PAGE_FAULT");
  EXPECT_EQ(iommuEventName(3), "DEV_TAB_HARDWARE_ERROR");
  EXPECT_EQ(iommuEventName(5), "ILLEGAL_COMMAND_ERROR");
  EXPECT_EQ(iommuEventName(6), "COMMAND_HARDWARE_ERROR");
  EXPECT_EQ(iommuEventName(9), "EVENT_0x9");
  EXPECT_EQ(describeIommuEvent({2, 0x18, 0x20, 0x100000, true}),
            "IO_PAGE_FAULT device 0x18 address 0x100000 flags 0x20 (logged)");
  EXPECT_EQ(describeIommuEvent({6, 0x2, 0, 0x1004040, false}),
            "COMMAND_HARDWARE_ERROR device 0x2 address 0x1004040 (not in the event log)");
}

}  // namespace
}  // namespace dlsim::svm
