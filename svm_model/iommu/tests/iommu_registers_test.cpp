// The IOMMU's MMIO register decode: write masks, read-only registers,
// 4-byte halves, accesses the block does not take, and snapshots.
#include "sim/errors.h"
#include "svm_model/iommu/tests/iommu_fixture.h"

namespace dlsim::svm::testing {
namespace {

TEST_F(IommuTest, BaseRegistersKeepOnlyTheirFields) {
  setReg(kRegDevTab, ~0ull);
  EXPECT_EQ(reg(kRegDevTab), 0x000ffffffffff1ffull);  // base 51:12, size 8:0
  setReg(kRegCmdBuf, ~0ull);
  EXPECT_EQ(reg(kRegCmdBuf), 0x0f0ffffffffff000ull);  // ComLen 59:56
  setReg(kRegEvtLog, ~0ull);
  EXPECT_EQ(reg(kRegEvtLog), 0x0f0ffffffffff000ull);
  setReg(kRegExclBase, ~0ull);
  EXPECT_EQ(reg(kRegExclBase), 0x000ffffffffff003ull);
  setReg(kRegExclLimit, ~0ull);
  EXPECT_EQ(reg(kRegExclLimit), 0x000ffffffffff000ull);
  setReg(kRegCmdHead, ~0ull);
  EXPECT_EQ(reg(kRegCmdHead), 0x7fff0u);  // 18:4
  setReg(kRegEvtTail, 0x1234567);
  EXPECT_EQ(reg(kRegEvtTail), 0x34560u);
  setReg(kRegEfr, 0);
  EXPECT_EQ(reg(kRegEfr), 1u << 6);  // read-only
}

TEST_F(IommuTest, FourByteAccessesReachOneHalf) {
  iommu.write(kCpu, kRegDevTab + 4, 4, 0x12);
  iommu.write(kCpu, kRegDevTab, 4, 0xabcde001);
  EXPECT_EQ(reg(kRegDevTab), 0x00000012abcde001ull);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 4, 4), 0x12u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab, 4), 0xabcde001u);
  // Not taken: 1- and 2-byte accesses, misaligned ones, past the block.
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab, 2), 0u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 4, 8), 0u);
  iommu.write(kCpu, kRegDevTab, 1, 0xff);
  iommu.write(kCpu, 0x4000, 8, ~0ull);
  EXPECT_EQ(reg(kRegDevTab), 0x00000012abcde001ull);
  EXPECT_EQ(iommu.read(kCpu, 0x40, 8), 0u);  // not implemented
}

TEST_F(IommuTest, StatusShowsWhatRunsAndClearsOnlyOnes) {
  EXPECT_EQ(reg(kRegStatus), 0u);
  setReg(kRegControl, kIommuEn | kEventLogEn | kCmdBufEn);
  EXPECT_EQ(reg(kRegStatus), 0x18u);  // EventLogRun | CmdBufRun
  setReg(kRegStatus, ~0ull);          // run bits are read-only
  EXPECT_EQ(reg(kRegStatus), 0x18u);
  setReg(kRegControl, kEventLogEn | kCmdBufEn);
  EXPECT_EQ(reg(kRegStatus), 0u);  // nothing runs without IommuEn
}

TEST_F(IommuTest, SnapshotRestoresRegistersCacheAndCommandState) {
  setReg(kRegDevTab, kDevTable | 1);
  setReg(kRegCmdBuf, 0x200000 | 8ull << 56);
  setReg(kRegEvtLog, 0x210000 | 8ull << 56);
  setReg(kRegControl, kIommuEn | kCmdBufEn | kEventLogEn);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);  // caches DTE 0x18, one event
  send(opcode(0));  // stops command processing
  const std::vector<uint8_t> saved = iommu.saveState();
  const uint64_t tail = reg(kRegCmdTail), evtTail = reg(kRegEvtTail);
  setReg(kRegControl, 0);
  setReg(kRegControl, kIommuEn | kCmdBufEn);  // restarts: the bad command again
  send(invalidateAll());
  ASSERT_EQ(iommu.events().size(), 3u);
  iommu.restoreState(saved);
  EXPECT_EQ(iommu.events().size(), 2u);
  EXPECT_EQ(iommu.eventCount(), 2u);
  EXPECT_EQ(reg(kRegControl), kIommuEn | kCmdBufEn | kEventLogEn);
  EXPECT_EQ(reg(kRegStatus) & kCmdBufRun, 0u);  // still stopped
  EXPECT_EQ(reg(kRegCmdTail), tail);
  EXPECT_EQ(reg(kRegEvtTail), evtTail);
  EXPECT_EQ(iommu.cachedDtes(), 1u);
  setDte(0x18, kDteBlockAll | 1ull << 62, 0);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);  // the cached entry is back
  std::vector<uint8_t> bad = saved;
  bad[0] ^= 1;
  EXPECT_THROW(iommu.restoreState(bad), InputError);
  EXPECT_THROW(iommu.restoreState(std::span<const uint8_t>(saved).first(20)), InputError);
}

}  // namespace
}  // namespace dlsim::svm::testing

namespace dlsim::svm::testing {
namespace {

TEST_F(IommuTest, ResetClearsRegistersAndCacheButKeepsTheEvents) {
  setReg(kRegDevTab, kDevTable | 1);
  setReg(kRegControl, kIommuEn);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  ASSERT_EQ(iommu.cachedDtes(), 1u);
  iommu.reset();
  for (uint64_t off : {kRegDevTab, kRegCmdBuf, kRegEvtLog, kRegControl, kRegExclBase, kRegExclLimit, kRegCmdHead,
                       kRegCmdTail, kRegEvtHead, kRegEvtTail, kRegStatus})
    EXPECT_EQ(reg(off), 0u) << off;
  EXPECT_EQ(iommu.cachedDtes(), 0u);
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kDone);  // IommuEn clear again
  EXPECT_EQ(iommu.events().size(), 1u);
}

}  // namespace
}  // namespace dlsim::svm::testing
