// The monitor-based RLP wake-up (MLE DG: SinitMleData.RlpWakeupAddr; a
// nonzero write of the u32 there starts the RLPs from the MLE JOIN
// structure, as GETSEC[WAKEUP] does), with a fake SINIT that returns a wake
// address: the RLPs stay in SENTER sleep through a write of zero and start
// at the JOIN state when the MLE writes 1; a bad JOIN structure is the same
// TXT shutdown as at WAKEUP. A SINIT without an address leaves the RLPs to
// GETSEC[WAKEUP].
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "txt_model/getsec/tests/getsec_rig.h"

namespace dlsim::txt::test {
namespace {

constexpr uint64_t kWake = 0x1E0040;

// SENTER (fake SINIT), the JOIN structure at 0x1F0000, a write of zero to
// the wake address, a mark, then the wake-up write; the RLPs count
// themselves in at 0x1E1000 and halt; the ILP waits for them.
std::string monitorGuest(uint32_t selector, int rlps) {
  return "mov eax, 4\nmov ebx, 0x180000\nmov ecx, 0x8000\nxor edx, edx\ngetsec\n"
         "mov dword [0x1F0000], 0x1F\n"
         "mov dword [0x1F0004], gdt\n"
         "mov dword [0x1F0008], " + std::to_string(selector) + "\n"
         "mov dword [0x1F000C], rlp\n"
         "mov dword [0x1E0040], 0\npause\npause\npause\n"
         "mov eax, [0x1E1000]\nmov [0x1E1004], eax\n"  // RLPs started before the real write
         "mov dword [0x1E0040], 1\n"
         "spin: pause\ncmp dword [0x1E1000], " + std::to_string(rlps) + "\njne spin\nhlt\n"
         "rlp: lock inc dword [0x1E1000]\nhlt\n"
         "align 8\ngdt: dq 0, 0, 0x00cf9b000000ffff, 0x00cf93000000ffff\n";
}

TEST(GetsecRlpMonitorWake, RlpsStartFromJoinWhenTheMleWritesTheAddress) {
  GetsecRig rig(3);
  rig.chipset.join = 0x1F0000;
  rig.sinit.wakeAddress = kWake;
  auto r = rig.run(monitorGuest(0x10, 2));
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r);
  EXPECT_TRUE(r.obs.brokenRules.empty());
  uint32_t early = 99, count = 0;
  ASSERT_TRUE(rig.m.memory().readValue(0x1E1004, early));
  ASSERT_TRUE(rig.m.memory().readValue(0x1E1000, count));
  EXPECT_EQ(early, 0u);  // the write of zero woke no one
  EXPECT_EQ(count, 2u);
  for (int i = 1; i < 3; ++i) {
    const auto& regs = r.obs.cpus.at(static_cast<size_t>(i)).registers;
    EXPECT_EQ(r.obs.cpus[static_cast<size_t>(i)].state, "halted") << i;
    EXPECT_EQ(regs.at("cs"), 0x10u) << i;
    EXPECT_EQ(regs.at("ds"), 0x18u) << i;
    EXPECT_EQ(regs.at("cr0"), 0x21u) << i;
    EXPECT_EQ(regs.at("cr4"), 0x4000u) << i;
    const SmxCpuState& s = rig.getsec->smx().at(i);
    EXPECT_TRUE(s.nmiMasked) << i;
    EXPECT_FALSE(s.initMasked) << i;
  }
}

TEST(GetsecRlpMonitorWake, WithoutAWakeAddressTheRlpsSleepOn) {
  GetsecRig rig(2);
  rig.chipset.join = 0x1F0000;
  auto r = rig.run("mov eax, 4\nmov ebx, 0x180000\nmov ecx, 0x8000\nxor edx, edx\ngetsec\n"
                   "mov dword [0x1E0040], 1\nhlt\n");
  EXPECT_EQ(r.stop.reason, "all-cpus-halted");
  EXPECT_EQ(r.obs.cpus[1].state, "senter-sleep");
}

TEST(GetsecRlpMonitorWake, BadJoinFormatIsATxtShutdown) {
  GetsecRig rig(2);
  rig.chipset.join = 0x1F0000;
  rig.sinit.wakeAddress = kWake;
  auto r = rig.run(monitorGuest(0x18, 1));  // selector 0x18 > limit 0x1F - 15
  EXPECT_EQ(r.stop.reason, "txt-reset") << r.stop.detail;
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.wakeup.join-format");
  EXPECT_EQ(r.obs.brokenRules[0].cpu, 1);
  EXPECT_EQ(rig.chipset.errorCode, kTxtShutdownBadJoinFormat);
  EXPECT_EQ(rig.chipset.txtResets, 1);
}

}  // namespace
}  // namespace dlsim::txt::test
