// The SLB rules (APM vol. 2 15.27.2-15.27.3, 15.27.6): an unaligned EAX
// (hardware clears EAX[15:0]), a header whose entry is not inside the image,
// an image that is not RAM; and the SLB's DMA protection.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "sim/dma_port.h"
#include "svm_model/skinit/tests/skinit_rig.h"

namespace dlsim::svm::test {
namespace {

TEST(SkinitSlbRules, AnUnalignedEaxIsClearedInHardwareMode) {
  SkinitRig rig;
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  auto r = rig.skinitRun("", kSlbBase + 0x1234);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.slb-aligned");
  EXPECT_EQ(r.obs.brokenRules[0].detail, "EAX = 0x111234");
  ASSERT_TRUE(rig.skinit->launch());
  EXPECT_EQ(rig.skinit->launch()->eax, kSlbBase + 0x1234);
  EXPECT_EQ(rig.skinit->launch()->slbBase, kSlbBase);
  const ArchState a = rig.m.cpu(0).archState();
  EXPECT_EQ(a.gprs[ArchState::Rax], kSlbBase);
  EXPECT_EQ(a.rip, kSlbBase + 5u);
}

TEST(SkinitSlbRules, AnUnalignedEaxStopsInStopMode) {
  SkinitRig rig;
  LaunchRuleModes modes;
  modes.defaultMode = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto r = rig.skinitRun("", kSlbBase + 0x10);
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_NE(r.stop.detail.find("skinit.slb-aligned"), std::string::npos);
  EXPECT_FALSE(rig.skinit->launch());
}

TEST(SkinitSlbRules, EntryBeyondTheLengthIsARuleTheCpuStillJumps) {
  SkinitRig rig;
  // Entry 0x40, length 8: the entry is outside the measured image.
  std::vector<uint8_t> slb(0x41, 0x90);
  slb[0] = 0x40, slb[1] = 0, slb[2] = 8, slb[3] = 0;
  slb[0x40] = 0xF4;  // hlt
  rig.writeSlb(slb);
  auto r = rig.skinitRun();
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.slb-header");
  EXPECT_EQ(r.obs.brokenRules[0].detail, "SLB 0x110000: entry offset 0x40, length 0x8");
  EXPECT_EQ(rig.m.cpu(0).archState().rip, kSlbBase + 0x41u);
  EXPECT_EQ(rig.skinit->launch()->measuredLength, 8u);
}

TEST(SkinitSlbRules, ALengthBelowTheHeaderIsARule) {
  SkinitRig rig;
  std::vector<uint8_t> slb = {0x00, 0x00, 0x02, 0x00};  // entry 0, length 2
  rig.writeSlb(slb);
  auto r = rig.skinitRun();
  ASSERT_GE(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.slb-header");
  EXPECT_EQ(rig.skinit->launch()->measuredLength, 4u);
}

TEST(SkinitSlbRules, AnSlbOutsideRamIsARule) {
  SkinitRig rig;
  // 0x400000 is past the small machine's RAM (1 MiB at 1 MiB).
  auto r = rig.skinitRun("", 0x400000);
  ASSERT_GE(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.slb-in-ram");
  ASSERT_TRUE(rig.skinit->launch());
  // The header read as all ones: entry 0xFFFF, length 0xFFFF.
  EXPECT_EQ(rig.skinit->launch()->length, 0xFFFF);
  EXPECT_EQ(rig.skinit->launch()->measuredLength, 0x10000u);
}

TEST(SkinitSlbRules, SkinitArmsTheSlDevProtectionOfTheSlb) {
  SkinitRig rig;
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  uint8_t b = 0;
  EXPECT_EQ(rig.m.dma().read(0x10, kSlbBase, &b, 1), DmaResult::kDone);  // before SKINIT
  rig.skinitRun();
  BlockedDma why;
  EXPECT_EQ(rig.m.dma().read(0x10, kSlbBase + 0xFFFF, &b, 1, &why), DmaResult::kBlocked);
  ASSERT_TRUE(why.region);
  EXPECT_EQ(why.region->name, "SLB (SL_DEV)");
  EXPECT_EQ(why.region->base, kSlbBase);
  EXPECT_EQ(why.region->size, 0x10000u);
  EXPECT_EQ(rig.m.dma().write(0x10, kSlbBase - 1, &b, 2), DmaResult::kBlocked);
  EXPECT_EQ(rig.m.dma().read(0x10, kSlbBase + 0x10000, &b, 1), DmaResult::kDone);
  EXPECT_EQ(rig.m.dma().read(0x10, kSlbBase - 1, &b, 1), DmaResult::kDone);
}

class RecordingProtection : public SlbProtection {
 public:
  void protectSlb(uint64_t base) override { bases.push_back(base); }
  std::vector<uint64_t> bases;
};

TEST(SkinitSlbRules, TheProtectionGetsTheClearedBaseOnce) {
  RecordingProtection nb;
  SkinitRig rig(1, &nb);
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  rig.skinitRun("", kSlbBase + 0x20);
  EXPECT_EQ(nb.bases, std::vector<uint64_t>{kSlbBase});
  uint8_t b = 0;
  EXPECT_EQ(rig.m.dma().read(0x10, kSlbBase, &b, 1), DmaResult::kDone);  // SKINIT blocks nothing itself
}

TEST(SkinitSlbRules, AResetForgetsTheLaunch) {
  SkinitRig rig(2);
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  rig.skinitRun();
  ASSERT_TRUE(rig.skinit->launch());
  rig.m.reset(ResetKind::Warm);
  EXPECT_FALSE(rig.skinit->launch());
  EXPECT_FALSE(rig.svmCpus.skinitExecuted);
  EXPECT_FALSE(rig.svmCpus.at(0).inSkinitLaunch);
  uint8_t b = 0;
  EXPECT_EQ(rig.m.dma().read(0x10, kSlbBase, &b, 1), DmaResult::kDone);
}

TEST(SkinitSlbRules, SnapshotsKeepTheLaunch) {
  SkinitRig rig(2);
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  rig.skinitRun("", kSlbBase + 4);
  const auto saved = rig.skinit->saveState();
  const SkinitLaunch before = *rig.skinit->launch();
  rig.m.reset(ResetKind::Warm);
  rig.skinit->restoreState(saved);
  ASSERT_TRUE(rig.skinit->launch());
  EXPECT_EQ(*rig.skinit->launch(), before);
  auto bad = saved;
  bad.pop_back();
  EXPECT_ANY_THROW(rig.skinit->restoreState(bad));
}

}  // namespace
}  // namespace dlsim::svm::test
