// SKINIT's faults at CPU level (APM vol. 3 SKINIT as spec note
// amd-skinit.md 1.1 gives them): #UD without EFER.SVME and without the CPUID
// SKINIT bit, #UD in real mode, #GP(0) at CPL 3; each names its rule, and in
// mode "stop" the run ends naming it instead.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "svm_model/skinit/tests/skinit_rig.h"

namespace dlsim::svm::test {
namespace {

void expectFault(const dlsim::test::GuestRun& r, const std::string& fault, const std::string& rule) {
  EXPECT_EQ(firstFault(r).rfind(fault, 0), 0u) << rule << ": " << firstFault(r) << " / " << r.stop.detail;
  ASSERT_EQ(r.obs.brokenRules.size(), 1u) << rule;
  EXPECT_EQ(r.obs.brokenRules[0].id, rule);
  EXPECT_EQ(r.obs.brokenRules[0].mode, RuleMode::Hardware);
}

TEST(SkinitFaults, UdWithoutSvmeAndWithoutTheCpuidBit) {
  SkinitRig rig(1, nullptr, /*cpuidSkinit=*/false);
  auto r = rig.skinitRun();
  expectFault(r, "#UD", "skinit.svm-enabled");
  EXPECT_FALSE(rig.skinit->launch());
  EXPECT_TRUE(rig.m.cpu(0).gif());
}

TEST(SkinitFaults, TheCpuidBitAloneEnablesIt) {
  SkinitRig rig(1, nullptr, /*cpuidSkinit=*/true);
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n")));
  auto r = rig.skinitRun();
  EXPECT_TRUE(r.obs.brokenRules.empty()) << r.obs.brokenRules[0].id;
  EXPECT_TRUE(firstFault(r).empty()) << firstFault(r);
  ASSERT_TRUE(rig.skinit->launch());
}

TEST(SkinitFaults, UdInRealMode) {
  SkinitRig rig;
  // The guest's IVT sends #UD (vector 6) to a HLT.
  dlsim::test::loadAndBoot(rig.m,
                           dlsim::test::assemble("bits 16\norg 0x7c00\nmov word [6 * 4], ud\nmov word [6 * 4 + 2], 0\n"
                                                 "mov eax, 0x110000\ndb 0x0f, 0x01, 0xde\nhlt\nud: hlt\n"),
                           0x7c00, EntryMode::Real);
  auto r = dlsim::test::runToStop(rig.m);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "skinit.protected-mode");
  EXPECT_EQ(r.obs.cpus[0].state, "halted");
  EXPECT_EQ(r.obs.cpus[0].registers.at("rip"), r.obs.brokenRules[0].address + 3 + 1 + 1);  // SKINIT, HLT, ud: HLT
  EXPECT_FALSE(rig.skinit->launch());
}

TEST(SkinitFaults, GpAtCpl3) {
  SkinitRig rig;
  const auto code = dlsim::test::assemble("bits 32\norg 0x100000\njmp $\n");
  ASSERT_TRUE(rig.m.memory().write(dlsim::test::kMainRam, code.data(), code.size()));
  const auto ring3 = dlsim::test::assemble("bits 32\norg 0x101000\nmov eax, 0x110000\ndb 0x0f, 0x01, 0xde\nhlt\n");
  ASSERT_TRUE(rig.m.memory().write(0x101000, ring3.data(), ring3.size()));
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = 0x101000;
  rig.m.boot(b);
  ArchState a = rig.m.cpu(0).archState();
  a.cs = SegmentState::flatCode32(0x1B);
  a.cs.attributes |= 3u << 13;
  a.ss = a.ds = a.es = SegmentState::flatData32(0x23);
  a.ss.attributes |= 3u << 13;
  rig.m.cpu(0).setArchState(a);
  expectFault(dlsim::test::runToStop(rig.m), "#GP(0x0)", "skinit.cpl0");
  EXPECT_FALSE(rig.skinit->launch());
}

TEST(SkinitFaults, StopModeEndsTheRunNamingTheRule) {
  SkinitRig rig(1, nullptr, /*cpuidSkinit=*/false);
  LaunchRuleModes modes;
  modes.modes["skinit.svm-enabled"] = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto r = rig.skinitRun();
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_NE(r.stop.detail.find("skinit.svm-enabled (APM vol. 2 15.4)"), std::string::npos) << r.stop.detail;
  EXPECT_TRUE(firstFault(r).empty());
}

}  // namespace
}  // namespace dlsim::svm::test
