// The MLE JOIN structure's checks (SDM vol. 2D GETSEC[WAKEUP]: #BadJOINFormat)
// and the RLP entry state built from it.
#include "txt_model/getsec/rlp_join.h"

#include <gtest/gtest.h>

namespace dlsim::txt {
namespace {

TEST(MleJoin, ParsesLittleEndianFields) {
  const uint8_t b[16] = {0x1F, 0, 0, 0, 0x00, 0x10, 0x20, 0x00, 0x10, 0, 0, 0, 0x34, 0x12, 0x10, 0x00};
  const MleJoin j = MleJoin::parse(b);
  EXPECT_EQ(j.gdtLimit, 0x1Fu);
  EXPECT_EQ(j.gdtBase, 0x201000u);
  EXPECT_EQ(j.selector, 0x10u);
  EXPECT_EQ(j.eip, 0x101234u);
}

TEST(MleJoin, FormatChecks) {
  EXPECT_FALSE((MleJoin{0x1F, 0, 0x10, 0}.formatError()));
  EXPECT_FALSE((MleJoin{0x17, 0, 0x08, 0}.formatError()));   // 8 = 0x17 - 15
  EXPECT_TRUE((MleJoin{0x10000, 0, 0x10, 0}.formatError()));  // limit above 0xFFFF
  EXPECT_TRUE((MleJoin{0x1F, 0, 0x00, 0}.formatError()));     // selector < 8
  EXPECT_TRUE((MleJoin{0x1F, 0, 0x18, 0}.formatError()));     // 0x18 > 0x1F - 15
  EXPECT_TRUE((MleJoin{0x1F, 0, 0x0C, 0}.formatError()));     // TI
  EXPECT_TRUE((MleJoin{0x1F, 0, 0x0B, 0}.formatError()));     // RPL 3
  EXPECT_TRUE((MleJoin{0x0E, 0, 0x08, 0}.formatError()));     // limit - 15 underflows
}

TEST(MleJoin, EntryState) {
  const ArchState a = MleJoin{0x1F, 0x201000, 0x10, 0x101234}.entryState();
  EXPECT_EQ(a.cr0, 0x21u);
  EXPECT_EQ(a.cr4, 0x4000u);
  EXPECT_EQ(a.rflags, 2u);
  EXPECT_EQ(a.efer, 0u);
  EXPECT_EQ(a.dr7, 0x400u);
  EXPECT_EQ(a.gdtr.base, 0x201000u);
  EXPECT_EQ(a.gdtr.limit, 0x1Fu);
  EXPECT_EQ(a.cs.selector, 0x10u);
  EXPECT_EQ(a.cs.attributes & 0xFF00u, 0x9B00u);  // AR 9Bh
  EXPECT_EQ(a.ds.selector, 0x18u);
  EXPECT_EQ(a.ds.attributes & 0xFF00u, 0x9300u);  // AR 93h
  EXPECT_EQ(a.ss, a.ds);
  EXPECT_EQ(a.es, a.ds);
  EXPECT_EQ(a.cs.limit, 0xFFFFFFFFu);
  EXPECT_EQ(a.rip, 0x101234u);
}

}  // namespace
}  // namespace dlsim::txt
