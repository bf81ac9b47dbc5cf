// The APs around SKINIT (APM vol. 2 15.27.8): SKINIT wants every AP in the
// INIT state; after it, an AP's first start-up IPI clears that AP's GIF and
// sets its VM_CR DPD, R_INIT and DIS_A20M; an INIT before every AP had its
// SIPI breaks skinit.no-init-before-sipi.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "svm_model/skinit/tests/skinit_rig.h"

namespace dlsim::svm::test {
namespace {

TEST(SkinitAps, ParkedApsStayParkedThroughTheLaunch) {
  SkinitRig rig(4);
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  auto r = rig.skinitRun();
  EXPECT_TRUE(r.obs.brokenRules.empty()) << r.obs.brokenRules[0].id;
  ASSERT_TRUE(rig.skinit->launch());
  EXPECT_TRUE(rig.skinit->launch()->apsNotParked.empty());
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(rig.m.cpu(i).state(), CpuState::WaitForSipi) << i;
    EXPECT_TRUE(rig.m.cpu(i).gif()) << i;
    EXPECT_FALSE(rig.svmCpus.at(i).inSkinitLaunch) << i;
    EXPECT_EQ(rig.svmCpus.at(i).vmCr, 0u) << i;
  }
}

TEST(SkinitAps, TheFirstSipiAfterSkinitClearsGifAndSetsVmCr) {
  SkinitRig rig(3);
  rig.writeApCode("hlt\njmp $ - 1\n");
  // The SL starts AP 1 only.
  rig.writeSlb(dlsim::test::assemble(slbSource(sendSipi(1) + "hlt\n")));
  auto r = rig.skinitRun();
  EXPECT_TRUE(r.obs.brokenRules.empty()) << r.obs.brokenRules[0].id;
  EXPECT_EQ(rig.m.cpu(1).state(), CpuState::Halted);
  EXPECT_FALSE(rig.m.cpu(1).gif());
  EXPECT_FALSE(rig.svmCpus.at(1).gif);
  EXPECT_EQ(rig.svmCpus.at(1).vmCr & 0x7u, 0x7u);
  EXPECT_TRUE(rig.svmCpus.at(1).inSkinitLaunch);
  EXPECT_EQ(rig.m.cpu(2).state(), CpuState::WaitForSipi);
  EXPECT_TRUE(rig.m.cpu(2).gif());
  EXPECT_FALSE(rig.svmCpus.at(2).inSkinitLaunch);
}

TEST(SkinitAps, ASipiBeforeSkinitHasNoSvmEffect) {
  SkinitRig rig(2);
  rig.writeApCode("hlt\njmp $ - 1\n");
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  auto r = rig.skinitRun(sendSipi(1) + "mov ecx, 1000\nloop $\n");
  EXPECT_TRUE(rig.m.cpu(1).gif());
  EXPECT_EQ(rig.svmCpus.at(1).vmCr, 0u);
  // ...and that AP was not parked when SKINIT ran.
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.aps-parked");
}

TEST(SkinitAps, AnApNotParkedIsARuleTheLaunchGoesOnInHardwareMode) {
  SkinitRig rig(4);
  rig.writeApCode("hlt\njmp $ - 1\n");
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  auto r = rig.skinitRun(sendSipi(2) + "mov ecx, 1000\nloop $\n");
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.aps-parked");
  EXPECT_EQ(r.obs.brokenRules[0].mode, RuleMode::Hardware);
  EXPECT_EQ(r.obs.brokenRules[0].detail, "not waiting for SIPI: CPU 2");
  ASSERT_TRUE(rig.skinit->launch());
  EXPECT_EQ(rig.skinit->launch()->apsNotParked, std::vector<int>{2});
  EXPECT_EQ(rig.m.cpu(2).state(), CpuState::Halted);  // keeps its own state
  EXPECT_EQ(rig.m.cpu(0).archState().rip, kSlbBase + 5u);  // the SL ran
}

TEST(SkinitAps, AnApNotParkedStopsInStopMode) {
  SkinitRig rig(2);
  LaunchRuleModes modes;
  modes.defaultMode = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  rig.writeApCode("hlt\njmp $ - 1\n");
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  auto r = rig.skinitRun(sendSipi(1) + "mov ecx, 1000\nloop $\n");
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_NE(r.stop.detail.find("skinit.aps-parked"), std::string::npos) << r.stop.detail;
  EXPECT_FALSE(rig.skinit->launch());
  EXPECT_TRUE(rig.m.cpu(0).gif());
}

TEST(SkinitAps, InitBeforeEveryApsSipiBreaksTheRule) {
  SkinitRig rig(3);
  rig.writeApCode("hlt\njmp $ - 1\n");
  // SIPI to AP 1, then INIT to AP 1 while AP 2 never had its SIPI.
  rig.writeSlb(dlsim::test::assemble(slbSource(sendSipi(1) + sendInit(1) + "hlt\n")));
  auto r = rig.skinitRun();
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.no-init-before-sipi");
  EXPECT_EQ(r.obs.brokenRules[0].detail, "INIT IPI to CPU 1 while CPU 2 had no start-up IPI since SKINIT");
  EXPECT_EQ(rig.m.cpu(1).state(), CpuState::WaitForSipi);  // hardware: delivered
}

TEST(SkinitAps, InitAfterEveryApsSipiIsFine) {
  SkinitRig rig(2);
  rig.writeApCode("hlt\njmp $ - 1\n");
  rig.writeSlb(dlsim::test::assemble(slbSource(sendSipi(1) + sendInit(1) + "hlt\n")));
  auto r = rig.skinitRun();
  EXPECT_TRUE(r.obs.brokenRules.empty()) << r.obs.brokenRules[0].id;
}

TEST(SkinitAps, InitBeforeSipiInStopModeEndsTheRun) {
  SkinitRig rig(2);
  LaunchRuleModes modes;
  modes.modes["skinit.no-init-before-sipi"] = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  rig.writeSlb(dlsim::test::assemble(slbSource(sendInit(1) + "hlt\n")));
  auto r = rig.skinitRun();
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_NE(r.stop.detail.find("skinit.no-init-before-sipi (APM vol. 2 15.27.8)"), std::string::npos)
      << r.stop.detail;
}

}  // namespace
}  // namespace dlsim::svm::test
