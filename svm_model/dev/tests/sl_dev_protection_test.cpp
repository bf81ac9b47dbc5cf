// SKINIT's SLB protection on the DMA port: every requester is kept out of
// the 64 KiB (edges included), everything around it lands, release per node.
#include <gtest/gtest.h>

#include "sim/dma_port.h"
#include "sim/errors.h"
#include "sim/guest_memory.h"
#include "svm_model/dev/sl_dev_protection.h"

namespace dlsim::svm {
namespace {

class SlDevProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mem.addRam(0, 0x4000000, "low");
    port.addProtection(&slb);
  }
  DmaResult write(uint32_t rid, uint64_t gpa, size_t len = 1) {
    std::vector<uint8_t> b(len, 0xab);
    return port.write(rid, gpa, b.data(), len);
  }
  GuestMemory mem;
  DmaPort port{mem};
  SlDevProtection slb{2};
};

TEST_F(SlDevProtectionTest, BlocksEveryRequesterInsideTheSlbOnly) {
  EXPECT_EQ(write(0x18, 0x200000), DmaResult::kDone);  // not armed yet
  slb.protectSlb(0x200000);
  EXPECT_TRUE(slb.active());
  EXPECT_EQ(slb.slbBase(), 0x200000u);
  EXPECT_EQ(write(0x18, 0x1fffff), DmaResult::kDone);
  EXPECT_EQ(write(0x18, 0x1fffff, 2), DmaResult::kBlocked);  // straddles the start
  EXPECT_EQ(write(0x0002, 0x200000), DmaResult::kBlocked);   // the IOMMU's own requester id too
  EXPECT_EQ(write(0x100, 0x20ffff), DmaResult::kBlocked);    // last byte
  EXPECT_EQ(write(0x18, 0x210000), DmaResult::kDone);
  uint8_t b = 0;
  EXPECT_EQ(port.read(0x18, 0x208000, &b, 1), DmaResult::kBlocked);
  EXPECT_EQ(b, 0xff);
  ASSERT_EQ(port.blocked().size(), 4u);
  const BlockedDma& first = port.blocked()[0];
  EXPECT_EQ(first.protection, "amd-slb");
  ASSERT_TRUE(first.region);
  EXPECT_EQ(first.region->name, "SLB (SL_DEV)");
  EXPECT_EQ(first.region->base, 0x200000u);
  EXPECT_EQ(first.region->size, 0x10000u);
  EXPECT_FALSE(port.blocked()[3].write);
}

TEST_F(SlDevProtectionTest, StaysUntilEveryNodeReleasedIt) {
  slb.protectSlb(0x300000);
  EXPECT_TRUE(slb.enabledOn(0));
  EXPECT_TRUE(slb.enabledOn(1));
  slb.release(0);
  EXPECT_FALSE(slb.enabledOn(0));
  EXPECT_EQ(write(0x18, 0x300000), DmaResult::kBlocked);
  slb.release(1);
  EXPECT_FALSE(slb.active());
  EXPECT_FALSE(slb.slbBase());
  EXPECT_EQ(write(0x18, 0x300000), DmaResult::kDone);
  slb.release(7);  // no such node: nothing happens
  EXPECT_FALSE(slb.enabledOn(7));
}

TEST_F(SlDevProtectionTest, RefusesAnSlbSkinitCannotHave) {
  EXPECT_THROW(slb.protectSlb(0x208000), InternalError);
  EXPECT_THROW(slb.protectSlb(0x100000000ull), InternalError);
  EXPECT_NO_THROW(slb.protectSlb(0xffff0000ull));
  EXPECT_THROW(SlDevProtection(0), InternalError);
}

TEST_F(SlDevProtectionTest, SnapshotRoundTripsAndRefusesAnotherShape) {
  slb.protectSlb(0x400000);
  slb.release(1);
  const std::vector<uint8_t> saved = slb.saveState();
  slb.release(0);
  slb.restoreState(saved);
  EXPECT_TRUE(slb.enabledOn(0));
  EXPECT_FALSE(slb.enabledOn(1));
  EXPECT_EQ(slb.slbBase(), 0x400000u);
  SlDevProtection one(1);
  EXPECT_THROW(one.restoreState(saved), InputError);
  std::vector<uint8_t> cut(saved.begin(), saved.end() - 1);
  EXPECT_THROW(slb.restoreState(cut), InputError);
}

}  // namespace
}  // namespace dlsim::svm

namespace dlsim::svm {
namespace {

TEST(SlDevProtectionResetTest, ResetDropsTheProtection) {
  SlDevProtection slb(2);
  slb.protectSlb(0x500000);
  slb.reset();
  EXPECT_FALSE(slb.active());
  EXPECT_FALSE(slb.enabledOn(0));
  EXPECT_FALSE(slb.regionOf(0x500000, 1));
}

}  // namespace
}  // namespace dlsim::svm
