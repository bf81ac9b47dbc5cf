// GETSEC[SENTER], processor side, at CPU level: every precondition raises
// #GP(0) and names its rule (SDM vol. 2D GETSEC[SENTER] Operation and
// Protected Mode Exceptions); a good SENTER masks events, puts the RLPs in
// SENTER sleep with IA32_APIC_BASE.BSP clear and hands over to SINIT.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "txt_model/getsec/tests/getsec_rig.h"

namespace dlsim::txt::test {
namespace {

// SENTER with SINIT at 0x180000, 0x8000 bytes, EDX 0, after `setup`.
std::string senter(const std::string& setup = "", const std::string& ebx = "0x180000",
                   const std::string& ecx = "0x8000", const std::string& edx = "0") {
  return setup + "mov eax, 4\nmov ebx, " + ebx + "\nmov ecx, " + ecx + "\nmov edx, " + edx + "\ngetsec\nhlt\n";
}

void expectGp(const dlsim::test::GuestRun& r, const std::string& rule) {
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << rule << ": " << firstFault(r) << " / " << r.stop.detail;
  ASSERT_EQ(r.obs.brokenRules.size(), 1u) << rule;
  EXPECT_EQ(r.obs.brokenRules[0].id, rule);
  EXPECT_EQ(r.obs.brokenRules[0].mode, RuleMode::Hardware);
}

TEST(GetsecSenter, HandsOverAfterTheRendezvous) {
  GetsecRig rig(4);
  auto r = rig.run(senter());
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r);
  EXPECT_TRUE(r.obs.brokenRules.empty());
  EXPECT_EQ(rig.sinit.calls, 1);
  EXPECT_EQ(rig.sinit.cpu, 0);
  EXPECT_EQ(rig.sinit.base, 0x180000u);
  EXPECT_EQ(rig.sinit.size, 0x8000u);
  EXPECT_EQ(rig.sinit.edx, 0u);
  EXPECT_EQ(rig.chipset.senterStarts, 1);
  for (int i = 1; i < 4; ++i) {
    Cpu& c = rig.m.cpu(i);
    EXPECT_EQ(c.state(), CpuState::ModelSleep) << i;
    EXPECT_EQ(c.modelSleepName(), "senter-sleep") << i;
    EXPECT_EQ(*c.readMsr(0x1B) & 0x100, 0u) << i;  // IA32_APIC_BASE.BSP
    EXPECT_TRUE(rig.getsec->smx().at(i).initMasked);
  }
  EXPECT_EQ(*rig.m.cpu(0).readMsr(0x1B) & 0x100, 0x100u);
  const SmxCpuState& ilp = rig.getsec->smx().at(0);
  EXPECT_TRUE(ilp.smiMasked && ilp.nmiMasked && ilp.initMasked && ilp.a20mMasked);
}

TEST(GetsecSenter, ModeAndControlRegisterRules) {
  {
    GetsecRig rig;
    expectGp(rig.run(senter("mov eax, cr0\nor eax, 0x40000000\nmov cr0, eax\n")), "getsec.senter.cache-enabled");
  }
  {
    GetsecRig rig;
    expectGp(rig.run(senter("mov eax, cr0\nand eax, ~0x20\nmov cr0, eax\n")), "getsec.senter.cr0-ne");
  }
  {
    // Real mode: #GP(0), "not recognized in real-address mode". The guest's
    // IVT sends #GP (vector 13) to a HLT.
    GetsecRig rig;
    dlsim::test::loadAndBoot(rig.m,
                             dlsim::test::assemble("bits 16\norg 0x7c00\nmov eax, cr4\nor eax, 0x4000\nmov cr4, eax\n"
                                                   "mov word [13 * 4], gp\nmov word [13 * 4 + 2], 0\n" +
                                                   senter() + "gp: hlt\n"),
                             0x7c00, EntryMode::Real);
    auto r = dlsim::test::runToStop(rig.m);
    ASSERT_EQ(r.obs.brokenRules.size(), 1u);
    EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.senter.protected-mode");
    EXPECT_EQ(r.obs.cpus[0].state, "halted");
    EXPECT_EQ(r.obs.cpus[0].registers.at("rip"), r.obs.brokenRules[0].address + 3 + 1);  // past GETSEC, HLT
  }
}

TEST(GetsecSenter, Cpl3IsRefused) {
  GetsecRig rig;
  const auto code = dlsim::test::assemble(std::string(kSmxPrologue) + "jmp $\n");
  ASSERT_TRUE(rig.m.memory().write(dlsim::test::kMainRam, code.data(), code.size()));
  const auto ring3 = dlsim::test::assemble("bits 32\norg 0x101000\n" + senter());
  ASSERT_TRUE(rig.m.memory().write(0x101000, ring3.data(), ring3.size()));
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = 0x101000;
  rig.m.boot(b);
  ArchState a = rig.m.cpu(0).archState();
  a.cr0 |= 0x20;
  a.cr4 |= 0x4000;
  a.cs = SegmentState::flatCode32(0x1B);
  a.cs.attributes |= 3u << 13;
  a.ss = a.ds = a.es = SegmentState::flatData32(0x23);
  a.ss.attributes |= 3u << 13;
  rig.m.cpu(0).setArchState(a);
  expectGp(dlsim::test::runToStop(rig.m), "getsec.senter.cpl0");
}

TEST(GetsecSenter, PlatformRules) {
  {
    GetsecRig rig;
    rig.chipset.capable = false;
    expectGp(rig.run(senter()), "getsec.senter.chipset");
  }
  {
    GetsecRig rig;
    rig.chipset.measured = true;
    expectGp(rig.run(senter()), "getsec.senter.not-measured");
  }
  {
    GetsecRig rig;
    rig.getsec->smx().at(0).acMode = true;
    expectGp(rig.run(senter()), "getsec.senter.not-ac-mode");
  }
  {
    GetsecConfig c = testConfig();
    c.tpmPresent = false;
    GetsecRig rig(1, c);
    expectGp(rig.run(senter()), "getsec.senter.tpm-present");
  }
  {
    // IA32_APIC_BASE.BSP cleared by the guest.
    GetsecRig rig;
    expectGp(rig.run(senter("mov ecx, 0x1b\nrdmsr\nand eax, ~0x100\nwrmsr\n")), "getsec.senter.bsp");
  }
}

TEST(GetsecSenter, FeatureControlAndFunctionControlRules) {
  {
    GetsecConfig c = testConfig();
    c.featureControl = feature_control::kTxtBiosDefault & ~feature_control::kLock;
    GetsecRig rig(1, c);
    expectGp(rig.run(senter()), "getsec.senter.feature-control-locked");
  }
  {
    GetsecConfig c = testConfig();
    c.featureControl = feature_control::kTxtBiosDefault & ~feature_control::kSenterGlobal;
    GetsecRig rig(1, c);
    expectGp(rig.run(senter()), "getsec.senter.feature-control-global-enable");
  }
  {
    // EDX asks for a function the processor does not support.
    GetsecRig rig;
    expectGp(rig.run(senter("", "0x180000", "0x8000", "1")), "getsec.senter.edx-supported");
  }
  {
    // Supported by the processor (PARAMETERS type 4) but not enabled in bits 14:8.
    GetsecConfig c = testConfig();
    c.profile.senterControls = 0x7F00;
    c.featureControl = feature_control::kLock | feature_control::kSenterGlobal | (0x7Eull << 8);
    GetsecRig rig(1, c);
    expectGp(rig.run(senter("", "0x180000", "0x8000", "1")), "getsec.senter.feature-control-local-enables");
    GetsecRig ok(1, c);
    auto r = ok.run(senter("", "0x180000", "0x8000", "2"));
    EXPECT_TRUE(r.obs.brokenRules.empty());
    EXPECT_EQ(ok.sinit.edx, 2u);
  }
}

TEST(GetsecSenter, ModuleRules) {
  {
    GetsecRig rig;
    expectGp(rig.run(senter("", "0x180800")), "getsec.senter.module-aligned");
  }
  for (const char* size : {"0x8020", "0", "0x80000"}) {  // not % 64, below the header, above the AC area
    GetsecRig rig;
    expectGp(rig.run(senter("", "0x180000", size)), "getsec.senter.module-size");
  }
  {
    GetsecRig rig;
    expectGp(rig.run(senter("", "0xffffc000", "0x8000")), "getsec.senter.module-below-4g");
  }
}

TEST(GetsecSenter, StopModeEndsTheRunAtSenter) {
  GetsecConfig c = testConfig();
  c.featureControl = 0;
  GetsecRig rig(2, c);
  LaunchRuleModes modes;
  modes.modes["getsec.senter.feature-control-locked"] = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto r = rig.run(senter());
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_EQ(r.stop.cpu, 0);
  EXPECT_NE(r.stop.detail.find("getsec.senter.feature-control-locked (SDM vol. 2D GETSEC[SENTER] #GP(0))"),
            std::string::npos)
      << r.stop.detail;
  EXPECT_NE(r.stop.detail.find("IA32_FEATURE_CONTROL = 0x0"), std::string::npos);
  EXPECT_EQ(rig.sinit.calls, 0);
  EXPECT_EQ(rig.m.cpu(1).state(), CpuState::WaitForSipi);  // no rendezvous happened
}

}  // namespace
}  // namespace dlsim::txt::test
