// The VT-d unit's registers as secure-launch code uses them. Expected values
// come from the VT-d specification's register descriptions (chapter 11) and
// the chipset datasheets' PMR registers, not from the model.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "txt_model/vtd/vtd_registers.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {
namespace {

using namespace vtd;

const AccessContext kCpu = AccessContext::fromCpu(0);

struct Unit {
  explicit Unit(VtdUnitConfig c = {}) : u(std::move(c)) {}
  uint32_t r32(uint64_t off) { return static_cast<uint32_t>(u.read(kCpu, off, 4)); }
  uint64_t r64(uint64_t off) { return u.read(kCpu, off, 8); }
  void w32(uint64_t off, uint32_t v) { u.write(kCpu, off, 4, v); }
  void w64(uint64_t off, uint64_t v) { u.write(kCpu, off, 8, v); }
  // tboot's vtd.c: read GSTS, drop the one-shot bits, change one command.
  void command(uint32_t set, uint32_t clear) { w32(kGcmd, ((r32(kGsts) & 0x96ffffffu) | set) & ~clear); }
  VtdUnit u;
};

TEST(VtdUnit, ResetValues) {
  Unit t;
  EXPECT_EQ(t.r32(kVer), 0x10u);
  EXPECT_EQ(t.r64(kCap), t.u.config().cap);
  EXPECT_TRUE(t.r64(kCap) & (1ull << 5));  // PLMR
  EXPECT_TRUE(t.r64(kCap) & (1ull << 6));  // PHMR
  EXPECT_EQ(t.r64(kEcap), t.u.config().ecap);
  EXPECT_EQ(t.r32(kGsts), 0u);
  EXPECT_EQ(t.r32(kPmen), 0u);
  EXPECT_EQ(t.r32(kFectl), 0x80000000u);  // interrupt mask set at reset
  EXPECT_EQ(t.r32(kFsts), 0u);
  EXPECT_EQ(t.r32(kPlmbase), 0u);
  EXPECT_EQ(t.r64(kPhmlimit), 0u);
}

TEST(VtdUnit, PmrAlignmentIsFoundByWritingAllOnes) {
  Unit t;  // 2 MiB alignment: bits 20:0 reserved; host address width 39
  t.w32(kPlmbase, 0xffffffff);
  t.w32(kPlmlimit, 0xffffffff);
  EXPECT_EQ(t.r32(kPlmbase), 0xffe00000u);
  EXPECT_EQ(t.r32(kPlmlimit), 0xffe00000u);
  t.w64(kPhmbase, ~0ull);
  EXPECT_EQ(t.r64(kPhmbase), 0x7fffe00000ull);  // bits 38:21
  // The same through two doublewords, high first.
  t.w32(kPhmlimit + 4, 0xffffffff);
  t.w32(kPhmlimit, 0xffffffff);
  EXPECT_EQ(t.r64(kPhmlimit), 0x7fffe00000ull);
  VtdUnitConfig oneMiB;
  oneMiB.pmrAlignmentBits = 20;
  Unit u(oneMiB);
  u.w32(kPlmbase, 0xffffffff);
  EXPECT_EQ(u.r32(kPlmbase), 0xfff00000u);
}

TEST(VtdUnit, RegionsDecodeBaseAsZerosAndLimitAsOnes) {
  Unit t;
  t.w32(kPlmbase, 0x00200000);
  t.w32(kPlmlimit, 0x00e00000);
  t.w64(kPhmbase, 0x100000000ull);
  t.w64(kPhmlimit, 0x13fe00000ull);
  EXPECT_FALSE(t.u.lowRegion());  // not enabled yet
  t.w32(kPmen, kPmenEpm);
  EXPECT_EQ(t.r32(kPmen), 0x80000001u);
  ASSERT_TRUE(t.u.lowRegion());
  EXPECT_EQ(t.u.lowRegion()->base, 0x200000u);
  EXPECT_EQ(t.u.lowRegion()->limit, 0xffffffu);
  ASSERT_TRUE(t.u.highRegion());
  EXPECT_EQ(t.u.highRegion()->base, 0x100000000ull);
  EXPECT_EQ(t.u.highRegion()->limit, 0x13fffffffull);
}

TEST(VtdUnit, SameBaseAndLimitIsOneBlockAndLimitBelowBaseDisables) {
  Unit t;
  t.w32(kPlmbase, 0x00400000);
  t.w32(kPlmlimit, 0x00400000);
  t.w32(kPmen, kPmenEpm);
  ASSERT_TRUE(t.u.lowRegion());
  EXPECT_EQ(t.u.lowRegion()->limit - t.u.lowRegion()->base + 1, 0x200000u);  // 2^(N+1)
  t.w32(kPmen, 0);
  t.w32(kPlmlimit, 0x00200000);
  t.w32(kPmen, kPmenEpm);
  EXPECT_FALSE(t.u.lowRegion());
  // PHMBASE = PHMLIMIT = 0 (never written) is not "off": it is the one block [0, 2 MiB).
  ASSERT_TRUE(t.u.highRegion());
  EXPECT_EQ(t.u.highRegion()->base, 0u);
  EXPECT_EQ(t.u.highRegion()->limit, 0x1fffffu);
}

TEST(VtdUnit, PrsTrailsEpmBySoftwarePolls) {
  VtdUnitConfig c;
  c.statusLagReads = 2;
  Unit t(c);
  t.w32(kPlmlimit, 0x00e00000);
  t.w32(kPmen, kPmenEpm);
  EXPECT_FALSE(t.u.pmrEnabled());
  EXPECT_EQ(t.r32(kPmen), 0x80000000u);
  EXPECT_EQ(t.r32(kPmen), 0x80000000u);
  EXPECT_EQ(t.r32(kPmen), 0x80000001u);
  EXPECT_TRUE(t.u.pmrEnabled());
  EXPECT_TRUE(t.u.violations().empty());
  // Disabling: Linux and Xen clear EPM and poll PRS until it is clear.
  t.w32(kPmen, 0);
  EXPECT_EQ(t.r32(kPmen), 0x00000001u);
  EXPECT_TRUE(t.u.pmrEnabled());
  t.r32(kPmen);
  EXPECT_EQ(t.r32(kPmen), 0u);
  EXPECT_FALSE(t.u.pmrEnabled());
  // Changing EPM again before PRS showed the last change breaks a rule.
  t.w32(kPmen, kPmenEpm);
  t.w32(kPmen, 0);
  ASSERT_EQ(t.u.violations().size(), 1u);
  EXPECT_NE(t.u.violations()[0].find("before PRS"), std::string::npos);
}

TEST(VtdUnit, PmrWritesWhileEnabledOrLockedAreIgnored) {
  Unit t;
  t.w32(kPlmlimit, 0x00e00000);
  t.w32(kPmen, kPmenEpm);
  t.w32(kPlmlimit, 0x00200000);
  EXPECT_EQ(t.r32(kPlmlimit), 0x00e00000u);
  ASSERT_EQ(t.u.violations().size(), 1u);
  EXPECT_NE(t.u.violations()[0].find("PLMLIMIT"), std::string::npos);
  t.w32(kPmen, 0);
  t.u.setPmrLocked(true);  // TXT CMD.LOCK_PMRC
  t.w32(kPlmbase, 0x00400000);
  t.w64(kPhmbase, 0x100000000ull);
  EXPECT_EQ(t.r32(kPlmbase), 0u);
  EXPECT_EQ(t.r64(kPhmbase), 0u);
  t.u.setPmrLocked(false);
  t.w32(kPlmbase, 0x00400000);
  EXPECT_EQ(t.r32(kPlmbase), 0x00400000u);
}

TEST(VtdUnit, WithoutPmrCapabilitiesTheRegistersAreReadOnly) {
  VtdUnitConfig c;
  c.cap &= ~(kCapPlmr | kCapPhmr);
  Unit t(c);
  t.w32(kPlmlimit, 0xffffffff);
  t.w64(kPhmlimit, ~0ull);
  t.w32(kPmen, kPmenEpm);
  EXPECT_EQ(t.r32(kPlmlimit), 0u);
  EXPECT_EQ(t.r64(kPhmlimit), 0u);
  EXPECT_EQ(t.r32(kPmen), 0u);
  EXPECT_FALSE(t.u.pmrEnabled());
}

TEST(VtdUnit, GlobalCommandsOneAtATimeAsTbootIssuesThem) {
  VtdUnitConfig c;
  c.statusLagReads = 1;
  Unit t(c);
  EXPECT_EQ(t.r32(kGcmd), 0u);  // write-only
  t.w64(kRtaddr, 0x12345000);
  t.command(kGcmdSrtp, 0);
  t.r32(kGsts);  // the poll that sees it pending
  EXPECT_EQ(t.r32(kGsts), kGcmdSrtp);  // RTPS
  EXPECT_EQ(t.r64(kRtaddr), 0x12345000u);
  t.command(kGcmdTe, 0);  // SRTP is cleared by the 0x96FFFFFF mask, so only TE changes
  EXPECT_EQ(t.r32(kGsts), kGcmdSrtp);  // not yet
  EXPECT_EQ(t.r32(kGsts), kGcmdSrtp | kGcmdTe);
  t.command(kGcmdQie, 0);
  t.r32(kGsts);
  EXPECT_EQ(t.r32(kGsts), kGcmdSrtp | kGcmdTe | kGcmdQie);
  // tboot's vtd_disable_dma_remap / vtd_disable_qie before SENTER.
  t.command(0, kGcmdTe);
  while (t.r32(kGsts) & kGcmdTe) {
  }
  t.command(0, kGcmdQie);
  while (t.r32(kGsts) & kGcmdQie) {
  }
  EXPECT_EQ(t.r32(kGsts), kGcmdSrtp);
  EXPECT_TRUE(t.u.violations().empty());
}

TEST(VtdUnit, AGcmdWriteChangingTwoCommandsIsRecorded) {
  Unit t;
  t.w32(kGcmd, kGcmdTe | kGcmdIre);
  EXPECT_EQ(t.r32(kGsts), kGcmdTe | kGcmdIre);
  ASSERT_EQ(t.u.violations().size(), 1u);
  EXPECT_NE(t.u.violations()[0].find("2 commands at once"), std::string::npos);
  // Writing GSTS back unmasked re-issues the one-shot SRTP: that counts too.
  t.w32(kGcmd, kGcmdTe | kGcmdIre | kGcmdSrtp);
  EXPECT_EQ(t.u.violations().size(), 1u);  // one change: SRTP
  t.w32(kGcmd, kGcmdTe | kGcmdIre | kGcmdSrtp);
  EXPECT_EQ(t.u.violations().size(), 1u);
}

TEST(VtdUnit, InvalidationsCompleteWithTheGranularityAsked) {
  Unit t;
  // CCMD: ICC (63) with CIRG = 1 (global); hardware clears ICC, CAIG = 1.
  t.w64(kCcmd, (1ull << 63) | (1ull << 61));
  EXPECT_EQ(t.r64(kCcmd), (1ull << 61) | (1ull << 59));
  // IOTLB registers at ECAP.IRO * 16 (0x500): IVA, then IOTLB_REG at +8.
  const uint64_t iotlb = ((t.u.config().ecap >> 8) & 0x3ff) * 16 + 8;
  EXPECT_EQ(iotlb, 0x508u);
  t.w64(iotlb, (1ull << 63) | (2ull << 60));  // domain-selective
  EXPECT_EQ(t.r64(iotlb), (2ull << 60) | (2ull << 57));
  // Two doublewords, as 32-bit code writes it: the high one triggers.
  t.w32(iotlb, 0);
  t.w32(iotlb + 4, 0x90000000);  // IVT | IIRG 1
  EXPECT_EQ(t.r64(iotlb), (1ull << 60) | (1ull << 57));
}

TEST(VtdUnit, QueuedInvalidationTakesDescriptorsAtOnce) {
  Unit t;
  t.w64(kIqa, 0x200000);
  t.command(kGcmdQie, 0);
  t.w64(kIqt, 0x40);
  EXPECT_EQ(t.r64(kIqh), 0x40u);  // tboot waits for IQH == IQT
  t.command(0, kGcmdQie);
  EXPECT_EQ(t.r64(kIqh), 0u);
  t.w64(kIqt, 0);
  EXPECT_EQ(t.r64(kIqt), 0u);
}

TEST(VtdUnit, OddAccessesReadAllOnesAndAreRecorded) {
  Unit t;
  EXPECT_EQ(t.u.read(kCpu, kGsts, 2), 0xffffu);
  t.u.write(kCpu, kPlmbase + 1, 4, 0x00200000);
  EXPECT_EQ(t.r32(kPlmbase), 0u);
  EXPECT_EQ(t.u.violations().size(), 2u);
  // An aligned 8-byte read of two 32-bit registers reads both, low first.
  t.w32(kFedata, 0x1234);
  EXPECT_EQ(t.r64(kFectl), 0x0000123480000000ull);
}

TEST(VtdUnit, SnapshotRestoresEveryRegister) {
  Unit t;
  t.w32(kPlmlimit, 0x00e00000);
  t.w64(kPhmbase, 0x100000000ull);
  t.w64(kPhmlimit, 0x13fe00000ull);
  t.w64(kRtaddr, 0x5000);
  t.command(kGcmdSrtp, 0);
  t.w32(kPmen, kPmenEpm);
  t.u.setPmrLocked(true);
  const auto saved = t.u.saveState();
  Unit u;
  u.u.restoreState(saved);
  EXPECT_EQ(u.u.saveState(), saved);
  EXPECT_EQ(u.r32(kPmen), 0x80000001u);
  EXPECT_EQ(u.r64(kPhmlimit), 0x13fe00000ull);
  EXPECT_EQ(u.r32(kGsts), kGcmdSrtp);
  EXPECT_TRUE(u.u.pmrLocked());
  std::vector<uint8_t> bad = saved;
  bad.pop_back();
  EXPECT_THROW(u.u.restoreState(bad), InputError);
}

}  // namespace
}  // namespace dlsim::txt
