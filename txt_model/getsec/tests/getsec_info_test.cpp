// GETSEC at CPU level: CPUID SMX/VMX, CR4.SMXE gating, prefixes, unsupported
// leaves, CAPABILITIES, PARAMETERS and IA32_FEATURE_CONTROL (SDM vol. 2D
// chapter 6; vol. 4 MSR 3AH).
#include <gtest/gtest.h>

#include "txt_model/getsec/getsec_rules.h"
#include "txt_model/getsec/tests/getsec_rig.h"

namespace dlsim::txt::test {
namespace {

uint64_t reg(const dlsim::test::GuestRun& r, const char* name, int cpu = 0) {
  return r.obs.cpus.at(static_cast<size_t>(cpu)).registers.at(name);
}

TEST(GetsecCpuid, AdvertisesSmxAndVmx) {
  GetsecRig rig;
  auto r = rig.run("mov eax, 1\ncpuid\nhlt\n", false);
  EXPECT_EQ(reg(r, "rcx") >> 6 & 1, 1u);  // SMX
  EXPECT_EQ(reg(r, "rcx") >> 5 & 1, 1u);  // VMX
  GetsecConfig c = testConfig();
  c.advertiseVmx = false;
  GetsecRig noVmx(1, c);
  auto r2 = noVmx.run("mov eax, 1\ncpuid\nhlt\n", false);
  EXPECT_EQ(reg(r2, "rcx") >> 5 & 1, 0u);
}

TEST(GetsecSmxe, GuestCanSetCr4Smxe) {
  GetsecRig rig;
  auto r = rig.run("mov eax, cr4\nhlt\n");
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(reg(r, "rax") & 0x4000, 0x4000u);
}

TEST(GetsecSmxe, WithoutSmxeGetsecRaisesUd) {
  GetsecRig rig;
  auto r = rig.run("xor eax, eax\ngetsec\nhlt\n", false);
  EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << firstFault(r);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.smxe");
}

TEST(GetsecSmxe, StopModeNamesTheRule) {
  GetsecRig rig;
  LaunchRuleModes modes;
  modes.defaultMode = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto r = rig.run("xor eax, eax\ngetsec\nhlt\n", false);
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_EQ(r.stop.cpu, 0);
  EXPECT_EQ(r.stop.address, 0x100002u);  // after xor eax, eax
  EXPECT_EQ(r.stop.detail.rfind("getsec.smxe (SDM vol. 2D GETSEC #UD)", 0), 0u) << r.stop.detail;
}

TEST(GetsecPrefixes, LockRepAndOperandSizeRaiseUd) {
  for (const char* prefix : {"0xf0", "0xf3", "0xf2", "0x66"}) {
    GetsecRig rig;
    auto r = rig.run(std::string("xor eax, eax\ndb ") + prefix + ", 0x0f, 0x37\nhlt\n");
    EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << prefix << ": " << firstFault(r);
  }
}

TEST(GetsecPrefixes, SegmentOverrideIsIgnored) {
  GetsecRig rig;
  auto r = rig.run("xor eax, eax\nxor ebx, ebx\ndb 0x2e, 0x0f, 0x37\nhlt\n");
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << firstFault(r);
  EXPECT_EQ(reg(r, "rax"), 0x1FDu);
}

TEST(GetsecLeaves, UndefinedAndUnreportedLeavesRaiseUd) {
  for (int leaf : {1, 9, 0x100}) {
    GetsecRig rig;
    auto r = rig.run("mov eax, " + std::to_string(leaf) + "\ngetsec\nhlt\n");
    EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << leaf;
    ASSERT_EQ(r.obs.brokenRules.size(), 1u);
    EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.leaf-supported");
  }
  GetsecConfig c = testConfig();
  c.profile.getsecCapabilities = 0x1FD & ~(1u << 8);  // no WAKEUP
  GetsecRig rig(1, c);
  auto r = rig.run("mov eax, 8\ngetsec\nhlt\n");
  EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u);
}

TEST(GetsecCapabilities, ReportsProfileWithChipsetBit) {
  GetsecConfig c = testConfig();
  c.profile.getsecCapabilities = 0x1FC;  // the profile's chipset bit is not what counts
  GetsecRig rig(1, c);
  auto r = rig.run("xor eax, eax\nxor ebx, ebx\ngetsec\nhlt\n");
  EXPECT_EQ(reg(r, "rax"), 0x1FDu);
  GetsecRig noChipset;
  noChipset.chipset.capable = false;
  auto r2 = noChipset.run("xor eax, eax\nxor ebx, ebx\ngetsec\nhlt\n");
  EXPECT_EQ(reg(r2, "rax"), 0x1FCu);
  GetsecRig index1;
  auto r3 = index1.run("xor eax, eax\nmov ebx, 1\ngetsec\nhlt\n");
  EXPECT_EQ(reg(r3, "rax"), 0u);
}

TEST(GetsecCapabilities, AnyPrivilegeLevelAndRealMode) {
  // CAPABILITIES has no #GP condition: real mode with CR4.SMXE set works.
  GetsecRig rig;
  dlsim::test::loadAndBoot(rig.m,
                           dlsim::test::assemble("bits 16\norg 0x7c00\nmov eax, cr4\nor eax, 0x4000\nmov cr4, eax\n"
                                                 "xor eax, eax\nxor ebx, ebx\ngetsec\nhlt\n"),
                           0x7c00, EntryMode::Real);
  auto r = dlsim::test::runToStop(rig.m);
  EXPECT_EQ(r.stop.reason, "all-cpus-halted");
  EXPECT_EQ(reg(r, "rax"), 0x1FDu);
}

TEST(GetsecParameters, WalksEveryTypeFromTheProfile) {
  GetsecConfig c = testConfig();
  c.profile.acmVersionMask = 0xFFFF0000;
  c.profile.acmVersion = 0x20;
  c.profile.maxAcmSize = 0x40000;
  c.profile.acmMemoryTypes = 0x4100;
  c.profile.senterControls = 0x7F00;
  c.profile.txtExtensions = 0x60;
  const uint32_t expectEax[] = {1, 0x40002, 0x4103, 0x7F04, 0x65, 0};
  for (uint32_t i = 0; i < 6; ++i) {
    GetsecRig rig(1, c);
    auto r = rig.run("mov eax, 6\nmov ebx, " + std::to_string(i) + "\nmov ecx, 0x1234\ngetsec\nhlt\n");
    EXPECT_EQ(reg(r, "rax"), expectEax[i]) << "index " << i;
    EXPECT_EQ(reg(r, "rbx"), i == 0 ? 0xFFFF0000u : 0u) << "index " << i;
    EXPECT_EQ(reg(r, "rcx"), i == 0 ? 0x20u : 0u) << "index " << i;
  }
  // Without TXT extensions the list ends after type 4.
  c.profile.txtExtensions = 0;
  GetsecRig rig(1, c);
  auto r = rig.run("mov eax, 6\nmov ebx, 4\ngetsec\nhlt\n");
  EXPECT_EQ(reg(r, "rax"), 0u);
}

TEST(FeatureControl, ReadsTheScenarioValueAndRefusesWritesOnceLocked) {
  GetsecConfig c = testConfig();
  c.featureControl = 0xFF07;
  GetsecRig rig(1, c);
  auto r = rig.run("mov ecx, 0x3a\nrdmsr\nmov esi, eax\nmov edi, edx\nxor eax, eax\nwrmsr\nhlt\n");
  EXPECT_EQ(reg(r, "rsi"), 0xFF07u);
  EXPECT_EQ(reg(r, "rdi"), 0u);
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
}

TEST(FeatureControl, UnlockedWritesLandAndReservedBitsFault) {
  GetsecConfig c = testConfig();
  c.featureControl = 0;
  GetsecRig rig(1, c);
  auto r = rig.run("mov ecx, 0x3a\nmov eax, 0xff03\nxor edx, edx\nwrmsr\nrdmsr\nmov esi, eax\n"
                   "mov eax, 0x8\nwrmsr\nhlt\n");
  EXPECT_EQ(reg(r, "rsi"), 0xFF03u);
  // Bit 3 is reserved: #GP, even though the MSR is not locked yet... but it
  // is locked now (bit 0 written above), which also faults: either way #GP.
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
  GetsecRig rig2(1, c);
  auto r2 = rig2.run("mov ecx, 0x3a\nmov eax, 0x8\nxor edx, edx\nwrmsr\nhlt\n");
  EXPECT_EQ(firstFault(r2).rfind("#GP(0x0)", 0), 0u) << firstFault(r2);
}

// The firmware's value (a scenario's machine.msrs) goes in through the MSR
// registry's platform write even when the BIOS default is locked; a cold
// reset returns to it; bits IA32_FEATURE_CONTROL does not define are refused.
TEST(FeatureControl, ThePlatformSetsThePowerOnValueEvenOverALock) {
  GetsecConfig c = testConfig();
  c.featureControl = feature_control::kTxtBiosDefault;  // locked
  GetsecRig rig(1, c);
  ASSERT_TRUE(rig.m.msrs().setByPlatform(0, 0x3A, 0xFF06));  // unlocked, every enable
  EXPECT_FALSE(rig.m.msrs().setByPlatform(0, 0x3A, 0x8));     // bit 3 reserved
  auto r = rig.run("mov ecx, 0x3a\nrdmsr\nmov esi, eax\nmov eax, 0xff07\nwrmsr\nhlt\n");
  EXPECT_EQ(reg(r, "rsi"), 0xFF06u);
  EXPECT_TRUE(firstFault(r).empty()) << firstFault(r);  // unlocked: the guest's write lands
  EXPECT_EQ(rig.getsec->featureControl(0), 0xFF07u);
  rig.m.reset(ResetKind::Cold);
  EXPECT_EQ(rig.getsec->featureControl(0), 0xFF06u);
}

}  // namespace
}  // namespace dlsim::txt::test
