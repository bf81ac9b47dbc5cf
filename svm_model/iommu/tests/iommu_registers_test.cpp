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
  // Not taken: misaligned accesses, 3-byte ones, past the block.
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 4, 8), 0u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 1, 2), 0u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab, 3), 0u);
  iommu.write(kCpu, kRegDevTab + 1, 2, 0xffff);
  iommu.write(kCpu, kRegDevTab, 3, 0xffffff);
  iommu.write(kCpu, 0x4000, 8, ~0ull);
  iommu.write(kCpu, 0x3fff, 1, 0xff);
  EXPECT_EQ(reg(kRegDevTab), 0x00000012abcde001ull);
  EXPECT_EQ(iommu.read(kCpu, 0x40, 8), 0u);  // not implemented
  EXPECT_EQ(iommu.read(kCpu, 0x4000, 1), 0u);
}

TEST_F(IommuTest, ByteAndWordAccessesReachTheirOwnBytes) {
  setReg(kRegDevTab, 0x0000000012345001ull);
  // Reads: the bytes of the register at that offset (no side effects).
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab, 1), 0x01u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 1, 1), 0x50u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 2, 2), 0x1234u);
  EXPECT_EQ(iommu.read(kCpu, kRegDevTab + 4, 2), 0u);
  EXPECT_EQ(iommu.read(kCpu, kRegEfr, 1), 0x40u);  // IASup, as SKL's `testb $0x40, 0x30(base)` reads it
  // Writes change only their bytes, through the register's write mask.
  iommu.write(kCpu, kRegDevTab + 3, 1, 0xab);
  EXPECT_EQ(reg(kRegDevTab), 0x00000000ab345001ull);
  iommu.write(kCpu, kRegDevTab, 2, 0xffff);
  EXPECT_EQ(reg(kRegDevTab), 0x00000000ab34f1ffull);  // bits 11:9 are not writable
  iommu.write(kCpu, kRegDevTab + 6, 2, 0xffff);
  EXPECT_EQ(reg(kRegDevTab), 0x000f0000ab34f1ffull);  // address bits end at 51
}

TEST_F(IommuTest, ByteWritesToStatusClearOnlyTheirOwnOnes) {
  setReg(kRegDevTab, kDevTable | 1);
  setReg(kRegCmdBuf, 0x200000 | 8ull << 56);
  setReg(kRegControl, kIommuEn | kCmdBufEn);
  send(completionWait(0x300000, kDone, true));
  ASSERT_EQ(reg(kRegStatus) & kComWaitInt, kComWaitInt);
  EXPECT_EQ(iommu.read(kCpu, kRegStatus, 1), 0x14u);  // CmdBufRun | ComWaitInt
  iommu.write(kCpu, kRegStatus + 1, 1, 0xff);         // another byte: nothing to clear
  EXPECT_EQ(reg(kRegStatus) & kComWaitInt, kComWaitInt);
  iommu.write(kCpu, kRegStatus, 1, kComWaitInt);
  EXPECT_EQ(reg(kRegStatus) & kComWaitInt, 0u);
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
