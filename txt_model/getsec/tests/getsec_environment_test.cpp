// GETSEC[WAKEUP], SEXIT, SMCTRL and EXITAC at CPU level (SDM vol. 2D
// chapter 6): the RLP wake-up through the MLE JOIN structure and its TXT
// shutdown, the SEXIT rendezvous, and each leaf's #GP(0) conditions.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "sim/errors.h"
#include "txt_model/getsec/tests/getsec_rig.h"

namespace dlsim::txt::test {
namespace {

constexpr const char* kSenter = "mov eax, 4\nmov ebx, 0x180000\nmov ecx, 0x8000\nxor edx, edx\ngetsec\n";

// A guest that launches (fake SINIT), writes a JOIN structure at 0x1F0000
// {GDT limit, GDT base, selector, EIP} and wakes the RLPs; the RLPs start at
// `rlp`, which writes its APIC-independent mark and halts.
std::string wakeGuest(uint32_t limit, uint32_t selector) {
  return std::string(kSenter) +
         "mov dword [0x1F0000], " + std::to_string(limit) + "\n"
         "mov dword [0x1F0004], gdt\n"
         "mov dword [0x1F0008], " + std::to_string(selector) + "\n"
         "mov dword [0x1F000C], rlp\n"
         "mov eax, 8\ngetsec\n"
         "hlt\n"
         "rlp: mov eax, 0x600d\nhlt\n"
         "align 8\ngdt: dq 0, 0, 0x00cf9b000000ffff, 0x00cf93000000ffff\n";
}

TEST(GetsecWakeup, RlpsStartAtTheJoinState) {
  GetsecRig rig(3);
  rig.chipset.join = 0x1F0000;
  auto r = rig.run(wakeGuest(0x1F, 0x10));
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r);
  EXPECT_TRUE(r.obs.brokenRules.empty());
  for (int i = 1; i < 3; ++i) {
    const auto& regs = r.obs.cpus.at(static_cast<size_t>(i)).registers;
    EXPECT_EQ(r.obs.cpus[static_cast<size_t>(i)].state, "halted") << i;
    EXPECT_EQ(regs.at("rax"), 0x600du) << i;
    EXPECT_EQ(regs.at("cs"), 0x10u);
    EXPECT_EQ(regs.at("ds"), 0x18u);
    EXPECT_EQ(regs.at("ss"), 0x18u);
    EXPECT_EQ(regs.at("es"), 0x18u);
    EXPECT_EQ(regs.at("cr0"), 0x21u);  // PE | NE
    EXPECT_EQ(regs.at("cr4"), 0x4000u);
    EXPECT_EQ(regs.at("efer"), 0u);
    const SmxCpuState& s = rig.getsec->smx().at(i);
    EXPECT_TRUE(s.nmiMasked);
    EXPECT_FALSE(s.initMasked);
  }
  // The GDTR the RLPs got.
  const ArchState a = rig.m.cpu(1).archState();
  EXPECT_EQ(a.gdtr.limit, 0x1Fu);
}

TEST(GetsecWakeup, BadJoinFormatIsATxtShutdown) {
  // Selector 0x18 > limit 0x1F - 15: #BadJOINFormat.
  GetsecRig rig(2);
  rig.chipset.join = 0x1F0000;
  auto r = rig.run(wakeGuest(0x1F, 0x18));
  EXPECT_EQ(r.stop.reason, "txt-reset") << r.stop.detail;
  EXPECT_EQ(rig.chipset.txtResets, 1);
  EXPECT_EQ(rig.chipset.errorCode, 0x8000000Bu);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.wakeup.join-format");
  EXPECT_EQ(rig.m.cpu(1).modelSleepName(), "senter-sleep");
}

TEST(GetsecWakeup, BadJoinFormatInStopMode) {
  GetsecRig rig(2);
  rig.chipset.join = 0x1F0000;
  LaunchRuleModes modes;
  modes.modes["getsec.wakeup.join-format"] = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto r = rig.run(wakeGuest(0x2F, 0x13));  // inside the limit, RPL 3
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_EQ(rig.chipset.txtResets, 0);
  EXPECT_NE(r.stop.detail.find("TI or RPL"), std::string::npos) << r.stop.detail;
}

TEST(GetsecWakeup, OutsideAMeasuredEnvironmentIsGp) {
  GetsecRig rig(2);
  auto r = rig.run("mov eax, 8\ngetsec\nhlt\n");
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.wakeup.measured");
}

TEST(GetsecSexit, RlpsInSenterSleepGoToWaitForSipi) {
  GetsecRig rig(3);
  auto r = rig.run(std::string(kSenter) + "mov eax, 5\ngetsec\nhlt\n");
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r);
  EXPECT_EQ(rig.chipset.sexits, 1);
  EXPECT_EQ(rig.chipset.closePrivates, 1);
  for (int i = 1; i < 3; ++i) {
    EXPECT_EQ(rig.m.cpu(i).state(), CpuState::WaitForSipi) << i;
    EXPECT_EQ(*rig.m.cpu(i).readMsr(0x1B) & 0x100, 0u);
  }
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(rig.getsec->smx().at(i).initMasked);
}

TEST(GetsecSexit, WithoutSenterIsGp) {
  GetsecRig rig;
  auto r = rig.run("mov eax, 5\ngetsec\nhlt\n");
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.sexit.measured");
}

TEST(GetsecSmctrl, UnmasksSmiInsideTheMeasuredEnvironment) {
  GetsecRig rig;
  auto r = rig.run(std::string(kSenter) + "mov eax, 7\nxor ebx, ebx\ngetsec\nhlt\n");
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << firstFault(r);
  EXPECT_FALSE(rig.getsec->smx().at(0).smiMasked);
  EXPECT_TRUE(rig.getsec->smx().at(0).nmiMasked);
}

TEST(GetsecSmctrl, RulesEbxAndMeasured) {
  {
    GetsecRig rig;
    auto r = rig.run(std::string(kSenter) + "mov eax, 7\nmov ebx, 1\ngetsec\nhlt\n");
    ASSERT_EQ(r.obs.brokenRules.size(), 1u);
    EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.smctrl.ebx-zero");
    EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u);
  }
  {
    GetsecRig rig;
    auto r = rig.run("mov eax, 7\nxor ebx, ebx\ngetsec\nhlt\n");
    ASSERT_EQ(r.obs.brokenRules.size(), 1u);
    EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.smctrl.measured");
  }
}

TEST(GetsecExitac, LeavesAcModeAndJumpsToEbx) {
  GetsecRig rig;
  rig.getsec->smx().at(0).acMode = true;
  rig.chipset.measured = true;  // after SENTER: SMI and NMI stay masked
  rig.getsec->smx().maskAll(0);
  auto r = rig.run("mov eax, 3\nmov ebx, target\nxor edx, edx\ngetsec\nmov esi, 1\nhlt\ntarget: mov esi, 2\nhlt\n");
  EXPECT_EQ(r.obs.cpus[0].registers.at("rsi"), 2u);
  const SmxCpuState& s = rig.getsec->smx().at(0);
  EXPECT_FALSE(s.acMode);
  EXPECT_FALSE(s.initMasked);
  EXPECT_TRUE(s.smiMasked);
  EXPECT_TRUE(s.nmiMasked);
  EXPECT_EQ(rig.chipset.closeLoc3, 1);
  EXPECT_EQ(rig.chipset.smramLocks, 1);
}

TEST(GetsecExitac, OutsideAcModeIsGp) {
  GetsecRig rig;
  auto r = rig.run("mov eax, 3\nxor ebx, ebx\ngetsec\nhlt\n");
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u);
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.exitac.ac-mode");
}

}  // namespace
}  // namespace dlsim::txt::test

namespace dlsim::txt::test {
namespace {

TEST(GetsecSnapshot, RestoresFeatureControlAndSmxState) {
  GetsecConfig c = testConfig();
  c.featureControl = 0;
  GetsecRig rig(2, c);
  rig.run("hlt\n");
  ASSERT_TRUE(rig.getsec->writeFeatureControl(1, 0xFF07));
  rig.getsec->smx().at(1).acMode = true;
  rig.getsec->smx().ilp = 0;
  auto snap = rig.m.snapshot();
  ASSERT_FALSE(rig.getsec->writeFeatureControl(1, 0));  // locked now
  rig.getsec->smx().at(1).acMode = false;
  rig.getsec->smx().ilp = -1;
  rig.m.restore(*snap);
  EXPECT_EQ(rig.getsec->featureControl(1), 0xFF07u);
  EXPECT_EQ(rig.getsec->featureControl(0), 0u);
  EXPECT_TRUE(rig.getsec->smx().at(1).acMode);
  EXPECT_EQ(rig.getsec->smx().ilp, 0);
  EXPECT_THROW(rig.getsec->restoreState(std::vector<uint8_t>{1, 2, 3}), InputError);
}

TEST(GetsecReset, ColdResetClearsTheFeatureControlLockWarmKeepsIt) {
  GetsecConfig c = testConfig();
  c.featureControl = 0;
  GetsecRig rig(1, c);
  rig.run("hlt\n");
  ASSERT_TRUE(rig.getsec->writeFeatureControl(0, 0xFF07));
  rig.getsec->smx().maskAll(0);
  rig.m.reset(ResetKind::Warm);
  EXPECT_EQ(rig.getsec->featureControl(0), 0xFF07u);
  EXPECT_FALSE(rig.getsec->smx().at(0).initMasked);
  rig.m.reset(ResetKind::Cold);
  EXPECT_EQ(rig.getsec->featureControl(0), 0u);
}

}  // namespace
}  // namespace dlsim::txt::test
