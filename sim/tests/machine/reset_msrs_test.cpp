// The machine resets the architectural MSRs on a platform reset and leaves
// them on INIT (SDM vol. 3A 9.1: INIT leaves MSRs and MTRRs unchanged; 11.11.5:
// RESET disables the MTRRs; vol. 3B 15.8: the banks' error log survives a warm
// reset, not a power cycle).
#include <gtest/gtest.h>

#include "cpu_model/architectural_msrs.h"
#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

MachineConfig twoCpus() { return test::smallMachine(2); }

struct Msrs {
  Machine& m;
  uint64_t rd(int cpu, uint32_t msr) { return *m.msrs().find(msr)->read(cpu, msr); }
  void wr(int cpu, uint32_t msr, uint64_t v) { ASSERT_TRUE(m.msrs().find(msr)->write(cpu, msr, v)); }
  void dirty(int cpu) {
    wr(cpu, arch_msr::kMtrrDefType, 0xc06);
    wr(cpu, arch_msr::kMtrrPhysBase0 + 1, 0xff80000800ull);
    ASSERT_TRUE(m.msrs().setByPlatform(cpu, arch_msr::kMc0Ctl + 1, 1ull << 63));
  }
};

TEST(MachineReset, WarmResetDisablesMtrrsAndKeepsTheMachineCheckLog) {
  Machine m(twoCpus());
  m.start();
  Msrs r{m};
  r.dirty(0);
  r.dirty(1);
  m.reset(ResetKind::Warm);
  for (int cpu : {0, 1}) {
    EXPECT_EQ(r.rd(cpu, arch_msr::kMtrrDefType), 0u);
    EXPECT_EQ(r.rd(cpu, arch_msr::kMtrrPhysBase0 + 1), 0u);
    EXPECT_EQ(r.rd(cpu, arch_msr::kMc0Ctl + 1), 1ull << 63);
  }
}

TEST(MachineReset, ColdResetAlsoClearsTheMachineCheckBanks) {
  Machine m(twoCpus());
  m.start();
  Msrs r{m};
  r.dirty(1);
  m.reset(ResetKind::Cold);
  EXPECT_EQ(r.rd(1, arch_msr::kMtrrDefType), 0u);
  EXPECT_EQ(r.rd(1, arch_msr::kMc0Ctl + 1), 0u);
}

TEST(MachineReset, InitLeavesTheMtrrs) {
  Machine m(twoCpus());
  m.start();
  Msrs r{m};
  r.dirty(1);
  m.initAllAps();
  EXPECT_EQ(r.rd(1, arch_msr::kMtrrDefType), 0xc06u);
  EXPECT_EQ(r.rd(1, arch_msr::kMtrrPhysBase0 + 1), 0xff80000800ull);
  EXPECT_EQ(r.rd(1, arch_msr::kMc0Ctl + 1), 1ull << 63);
}

}  // namespace
}  // namespace dlsim
