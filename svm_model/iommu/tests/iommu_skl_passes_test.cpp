// SKL's two passes over the IOMMU (iommu.c, main.c): with SKINIT's SLB
// protection still on, the IOMMU cannot read its command buffer inside the
// SLB (COMMAND_HARDWARE_ERROR, EventLogInt, nothing stored) and cannot read
// the device table there either (device DMA refused); after SL_DEV /
// MEMPROT is released the same programming works: COMPLETION_WAIT stores
// "done" and the device table blocks every device.
#include "svm_model/iommu/tests/iommu_fixture.h"

namespace dlsim::svm::testing {
namespace {

TEST_F(IommuTest, PassOneFailsOnTheCommandFetchInsideTheSlb) {
  slb.protectSlb(kSlb);
  programLikeSkl();
  send(invalidateAll());
  send(completionWait(kCompleted, kDone));
  EXPECT_EQ(u32At(kCompleted), 0u);
  ASSERT_EQ(iommu.events().size(), 1u);
  const IommuEvent& e = iommu.events()[0];
  EXPECT_EQ(e.code, 0x6);  // COMMAND_HARDWARE_ERROR
  EXPECT_EQ(e.address, kCmdArray);
  EXPECT_FALSE(e.logged);  // the event log is inside the SLB too
  EXPECT_EQ(u32At(kEventLog + 4), 0u);
  EXPECT_EQ(reg(kRegStatus) & (kEventLogInt | kCmdBufRun), kEventLogInt);
  // SKL-A's exit from its polling loop, as its compiled code reads it: the
  // status byte (`testb $2, 0x2020(base)`) shows EventLogInt while the first
  // log entry's event code byte is still 0.
  EXPECT_EQ(iommu.read(kCpu, kRegStatus, 1) & kEventLogInt, kEventLogInt);
  uint8_t code = 0xff;
  ASSERT_TRUE(mem.read(kEventLog + 7, &code, 1));
  EXPECT_EQ(code, 0u);
  EXPECT_EQ(reg(kRegCmdHead), kCmdArray & 0xff0);  // stuck at the command it could not fetch
  // The fetch was a blocked DMA of the IOMMU's own requester id.
  ASSERT_FALSE(port.blocked().empty());
  EXPECT_EQ(port.blocked()[0].requesterId, 0x0002u);
  EXPECT_EQ(port.blocked()[0].protection, "amd-slb");
  EXPECT_EQ(port.blocked()[0].region->name, "SLB (SL_DEV)");
  // Device DMA anywhere: the IOMMU cannot read the DTE -> refused.
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(iommu.events().back().code, 0x3);  // DEV_TAB_HARDWARE_ERROR
  EXPECT_EQ(iommu.events().back().address, kDevTable + 0x18 * 32);
  EXPECT_EQ(iommu.cachedDtes(), 0u);
}

TEST_F(IommuTest, PassTwoAfterReleaseStoresDoneAndBlocksDevices) {
  slb.protectSlb(kSlb);
  programLikeSkl();
  send(invalidateAll());
  send(completionWait(kCompleted, kDone));
  ASSERT_EQ(u32At(kCompleted), 0u);
  slb.release(0);  // SKL: SL_DEV_EN / MEMPROT_EN := 0
  programLikeSkl();
  send(invalidateAll());
  send(completionWait(kCompleted, kDone));
  EXPECT_EQ(u32At(kCompleted), kDone);
  EXPECT_EQ(u32At(kCompleted + 4), 0u);
  EXPECT_EQ(reg(kRegCmdHead), reg(kRegCmdTail));
  EXPECT_EQ(reg(kRegStatus) & kCmdBufRun, kCmdBufRun);
  EXPECT_EQ(reg(kRegStatus) & kComWaitInt, 0u);  // no I bit in SKL's command
  // Every device below bus 1 now meets V = TV = 1, mode 0, IR = IW = 0.
  EXPECT_EQ(deviceWrite(0x18, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(deviceRead(0xff, 0x100000), DmaResult::kBlocked);
  EXPECT_EQ(port.blocked().back().protection, "amd-iommu");
  ASSERT_TRUE(port.blocked().back().region);
  EXPECT_EQ(port.blocked().back().region->name, "IOMMU: DTE 0xff: no read permission (IR = 0)");
  // The fault went to the (now reachable) event log as IO_PAGE_FAULT.
  const uint64_t first = kEventLog;  // pass 2 reset the tail to 0
  EXPECT_EQ(u32At(first) & 0xffff, 0x18u);
  EXPECT_EQ(u32At(first + 4) >> 28, 0x2u);
  EXPECT_EQ(u32At(first + 4) >> 16 & 0xfff, 0x020u);  // RW: a write
  EXPECT_EQ(u32At(first + 8), 0x100000u);
  EXPECT_EQ(reg(kRegEvtTail), 32u);
}

TEST_F(IommuTest, CommandsWaitForIommuEnAndCmdBufEn) {
  setReg(kRegDevTab, kDevTable | 1);
  setReg(kRegCmdBuf, 0x200000 | 8ull << 56);
  send(completionWait(0x300000, kDone));
  EXPECT_EQ(u32At(0x300000), 0u);  // nothing enabled
  setReg(kRegControl, kCmdBufEn);
  EXPECT_EQ(u32At(0x300000), 0u);  // IommuEn still clear
  setReg(kRegControl, kCmdBufEn | kIommuEn);
  EXPECT_EQ(u32At(0x300000), kDone);
  EXPECT_EQ(reg(kRegCmdHead), 16u);
}

TEST_F(IommuTest, CompletionWaitInterruptSetsComWaitIntWhichWritesOfOneClear) {
  setReg(kRegCmdBuf, 0x200000 | 8ull << 56);
  setReg(kRegControl, kCmdBufEn | kIommuEn);
  send(completionWait(0x300000, 0x1122334455667788ull, true));
  uint64_t stored = 0;
  ASSERT_TRUE(mem.read(0x300000, &stored, 8));
  EXPECT_EQ(stored, 0x1122334455667788ull);
  EXPECT_EQ(reg(kRegStatus) & kComWaitInt, kComWaitInt);
  setReg(kRegStatus, 0);  // zeros clear nothing
  EXPECT_EQ(reg(kRegStatus) & kComWaitInt, kComWaitInt);
  iommu.write(kCpu, kRegStatus, 4, kComWaitInt);
  EXPECT_EQ(reg(kRegStatus) & kComWaitInt, 0u);
}

TEST_F(IommuTest, UnknownOpcodeRaisesIllegalCommandAndStopsUntilCmdBufEnIsSetAgain) {
  setReg(kRegCmdBuf, 0x200000 | 8ull << 56);
  setReg(kRegEvtLog, 0x210000 | 8ull << 56);
  setReg(kRegControl, kCmdBufEn | kIommuEn | kEventLogEn);
  send(opcode(0x9));
  send(completionWait(0x300000, kDone));
  EXPECT_EQ(u32At(0x300000), 0u);
  ASSERT_EQ(iommu.events().size(), 1u);
  EXPECT_EQ(iommu.events()[0].code, 0x5);
  EXPECT_TRUE(iommu.events()[0].logged);
  EXPECT_EQ(u32At(0x210004) >> 28, 0x5u);
  EXPECT_EQ(u32At(0x210008), 0x200000u);  // the command's address
  EXPECT_EQ(reg(kRegCmdHead), 0u);
  EXPECT_EQ(reg(kRegStatus) & (kCmdBufRun | kEventLogInt), kEventLogInt);
  // Software skips the bad command and restarts the buffer.
  setReg(kRegControl, kIommuEn | kEventLogEn);
  setReg(kRegCmdHead, 16);
  setReg(kRegControl, kCmdBufEn | kIommuEn | kEventLogEn);
  EXPECT_EQ(u32At(0x300000), kDone);
  EXPECT_EQ(reg(kRegStatus) & kCmdBufRun, kCmdBufRun);
}

TEST_F(IommuTest, InvalidateAllNeedsIaSupAndPrefetchItsFeature) {
  AmdIommuConfig c;
  c.extendedFeatures = 0;  // no IASup
  AmdIommu plain(c, port);
  plain.write(kCpu, kRegCmdBuf, 8, 0x200000 | 8ull << 56);
  plain.write(kCpu, kRegControl, 8, kCmdBufEn | kIommuEn);
  ASSERT_TRUE(mem.write(0x200000, invalidateAll().d, 16));
  plain.write(kCpu, kRegCmdTail, 8, 16);
  ASSERT_EQ(plain.events().size(), 1u);
  EXPECT_EQ(plain.events()[0].code, 0x5);
  EXPECT_FALSE(plain.events()[0].logged);  // EventLogEn clear: not written
  EXPECT_EQ(plain.read(kCpu, kRegStatus, 8) & kEventLogInt, 0u);
  // The default configuration reports IASup and takes the command; it has
  // no PREFETCH support.
  EXPECT_EQ(reg(kRegEfr), 1u << 6);
  setReg(kRegCmdBuf, 0x220000 | 8ull << 56);
  setReg(kRegControl, kCmdBufEn | kIommuEn);
  send(invalidateAll());
  send(opcode(3));  // INVALIDATE_IOMMU_PAGES
  send(opcode(4));
  send(opcode(5));
  EXPECT_TRUE(iommu.events().empty());
  send(opcode(6));
  ASSERT_EQ(iommu.events().size(), 1u);
  EXPECT_EQ(iommu.events()[0].address, 0x220000u + 4 * 16);
}

}  // namespace
}  // namespace dlsim::svm::testing

namespace dlsim::svm::testing {
namespace {

// A guest that places the tail past the ring's end or points the buffer at
// no RAM: processing ends (the tail counts modulo the ring), nothing hangs.
TEST_F(IommuTest, TailsPastTheRingAndBuffersOutsideRamEndProcessing) {
  for (uint64_t i = 0; i < 256; ++i) {
    const Cmd c = completionWait(0x300000 + 8 * i, i + 1);
    ASSERT_TRUE(mem.write(0x200000 + 16 * i, c.d, 16));
  }
  setReg(kRegCmdBuf, 0x200000 | 8ull << 56);  // 4 KiB ring
  setReg(kRegControl, kCmdBufEn | kIommuEn);
  setReg(kRegCmdTail, 0x7fff0);  // 0xff0 inside the ring
  EXPECT_EQ(reg(kRegCmdHead), 0xff0u);
  EXPECT_EQ(u32At(0x300000 + 8 * 254), 255u);
  EXPECT_EQ(u32At(0x300000 + 8 * 255), 0u);  // the entry at the tail is not run
  EXPECT_TRUE(iommu.events().empty());
  setReg(kRegControl, 0);
  setReg(kRegCmdBuf, 0xf00000000ull | 8ull << 56);  // no RAM there
  setReg(kRegCmdHead, 0);
  setReg(kRegCmdTail, 0);
  setReg(kRegControl, kCmdBufEn | kIommuEn);
  setReg(kRegCmdTail, 16);
  ASSERT_EQ(iommu.events().size(), 1u);
  EXPECT_EQ(iommu.events()[0].code, 0x6);
  EXPECT_EQ(iommu.events()[0].address, 0xf00000000ull);
}

}  // namespace
}  // namespace dlsim::svm::testing
