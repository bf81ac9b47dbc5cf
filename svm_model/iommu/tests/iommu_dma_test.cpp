// Device DMA against the IOMMU's device table: pass-through without
// IommuEn or with V = 0, mode-0 IR / IW permissions, SE, device ids past the
// table, the exclusion range (Allow or DTE.EX) and the DTE cache that only
// the invalidation commands drop.
#include "svm_model/iommu/tests/iommu_fixture.h"

namespace dlsim::svm::testing {
namespace {

constexpr uint64_t kIr = 1ull << 61, kIw = 1ull << 62;
constexpr uint64_t kSeQ1 = 1ull << (97 - 64), kExQ1 = 1ull << (103 - 64);

class IommuDmaTest : public IommuTest {
 protected:
  // Device table outside any SLB, translation on, command buffer ready.
  void enable() {
    setReg(kRegDevTab, kDevTable | 1);
    setReg(kRegCmdBuf, 0x200000 | 8ull << 56);
    setReg(kRegEvtLog, 0x210000 | 8ull << 56);
    setReg(kRegControl, kIommuEn | kCmdBufEn | kEventLogEn);
  }
};

TEST_F(IommuDmaTest, WithoutIommuEnEverythingPasses) {
  setReg(kRegDevTab, kDevTable | 1);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kDone);
  EXPECT_EQ(deviceRead(0x18, 0x100000), DmaResult::kDone);
  EXPECT_EQ(iommu.cachedDtes(), 0u);  // the table was not even read
}

TEST_F(IommuDmaTest, ModeZeroFollowsIrAndIw) {
  setDte(0x18, kDteBlockAll | kIr, 0);
  setDte(0x20, kDteBlockAll | kIw, 0);
  setDte(0x28, kDteBlockAll | kIr | kIw, 0);
  enable();
  EXPECT_EQ(deviceRead(0x18, 0x100000), DmaResult::kDone);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(deviceRead(0x20, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(deviceWrite(0x20, 0x100000), DmaResult::kDone);
  EXPECT_EQ(deviceRead(0x28, 0x100000), DmaResult::kDone);
  EXPECT_EQ(deviceWrite(0x28, 0x100000), DmaResult::kDone);
  EXPECT_EQ(iommu.events().size(), 2u);
  EXPECT_EQ(iommu.events()[0].code, 0x2);
  EXPECT_EQ(iommu.events()[0].flags, 0x20);  // the write
  EXPECT_EQ(iommu.events()[1].flags, 0);     // the read
}

TEST_F(IommuDmaTest, InvalidEntriesPassTranslationInvalidOnesDoNotAndSeSuppressesTheFault) {
  setDte(0x30, 0, 0);                        // V = 0
  setDte(0x31, 0x1 | kIr | kIw, kSeQ1);      // V = 1, TV = 0: IR / IW do not count
  setDte(0x32, kDteBlockAll, kSeQ1);         // blocked, no event
  enable();
  EXPECT_EQ(deviceWrite(0x30, 0x100000), DmaResult::kDone);
  EXPECT_EQ(deviceWrite(0x31, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(deviceWrite(0x32, 0x100000), DmaResult::kBlocked);
  EXPECT_TRUE(iommu.events().empty());
}

TEST_F(IommuDmaTest, PageTableModesAreRefusedVisibly) {
  setDte(0x40, kDteBlockAll | 3ull << 9 | kIr | kIw, 0);  // mode 3
  enable();
  EXPECT_EQ(deviceRead(0x40, 0x100000), DmaResult::kBlocked);
  EXPECT_NE(iommu.lastRefusal().find("mode 3"), std::string::npos);
}

TEST_F(IommuDmaTest, DeviceIdsPastTheTableAreIllegal) {
  enable();  // size 1: 8 KiB, 256 entries
  EXPECT_EQ(deviceWrite(0x100, 0x100000), DmaResult::kBlocked);
  ASSERT_EQ(iommu.events().size(), 1u);
  EXPECT_EQ(iommu.events()[0].code, 0x1);  // ILLEGAL_DEV_TABLE_ENTRY
  EXPECT_EQ(iommu.events()[0].deviceId, 0x100);
  setReg(kRegDevTab, kDevTable | 3);  // 16 KiB: 512 entries
  setDte(0x100, 0, 0);
  EXPECT_EQ(deviceWrite(0x100, 0x100000), DmaResult::kDone);
}

TEST_F(IommuDmaTest, TheIommusOwnAccessesAreNotTranslated) {
  setDte(0x02, kDteBlockAll, 0);
  enable();
  EXPECT_EQ(deviceWrite(0x02, 0x100000), DmaResult::kDone);
}

TEST_F(IommuDmaTest, ExclusionRangeWithAllowOpensItForEveryDevice) {
  enable();
  setReg(kRegExclBase, 0x400000 | 0x3);   // ExEn | Allow
  setReg(kRegExclLimit, 0x5ff000 | 0xfff); // low 12 bits read 0, count as 0xfff
  EXPECT_EQ(reg(kRegExclLimit), 0x5ff000u);
  EXPECT_EQ(deviceWrite(0x18, 0x400000), DmaResult::kDone);
  EXPECT_EQ(deviceWrite(0x18, 0x5ffffc), DmaResult::kDone);
  EXPECT_EQ(deviceWrite(0x18, 0x5ffffe), DmaResult::kBlocked);  // runs past the limit
  EXPECT_EQ(deviceWrite(0x18, 0x3ffffe), DmaResult::kBlocked);  // starts below the base
  setReg(kRegExclBase, 0x400000 | 0x2);  // ExEn clear: closed
  EXPECT_EQ(deviceWrite(0x18, 0x400000), DmaResult::kBlocked);
}

TEST_F(IommuDmaTest, ExclusionRangeWithoutAllowNeedsTheDtesExBit) {
  setDte(0x50, kDteBlockAll, kExQ1);
  enable();
  setReg(kRegExclBase, 0x400000 | 0x1);  // ExEn only
  setReg(kRegExclLimit, 0x400000);
  EXPECT_EQ(deviceWrite(0x50, 0x400800), DmaResult::kDone);
  EXPECT_EQ(deviceWrite(0x18, 0x400800), DmaResult::kBlocked);
  EXPECT_EQ(deviceWrite(0x50, 0x401000), DmaResult::kBlocked);  // past limit | 0xfff
}

TEST_F(IommuDmaTest, CachedEntriesLastUntilInvalidated) {
  enable();
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(iommu.cachedDtes(), 1u);
  setDte(0x18, kDteBlockAll | kIw, 0);  // software changes the entry...
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);  // ...the IOMMU still uses the cached one
  send(invalidateDte(0x19));  // another device's entry
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  send(invalidateDte(0x18));
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kDone);
  setDte(0x18, kDteBlockAll, 0);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kDone);
  send(invalidateAll());
  EXPECT_EQ(iommu.cachedDtes(), 0u);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
}

TEST_F(IommuDmaTest, AFullEventLogSetsOverflowAndDropsTheEvent) {
  enable();  // 256-entry log: full with 255 entries (tail + 1 == head)
  for (int i = 0; i < 255; ++i) ASSERT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(reg(kRegEvtTail), 255u * 16);
  EXPECT_EQ(reg(kRegStatus) & 1, 0u);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(reg(kRegStatus) & 1, 1u);  // EventOverflow
  EXPECT_EQ(reg(kRegEvtTail), 255u * 16);
  EXPECT_FALSE(iommu.events().back().logged);
  setReg(kRegEvtHead, 16 * 10);  // software consumed ten
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(reg(kRegEvtTail), 0u);  // wrapped
}

}  // namespace
}  // namespace dlsim::svm::testing
