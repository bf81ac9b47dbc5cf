// The architectural MSRs pre-launch code touches (cpu_model/architectural_msrs.h)
// at CPU level: values and #GP rules as the SDM states them (vol. 3A 11.11
// for the MTRRs, vol. 3B 15.3 for machine check, vol. 4 table 2-2), per-CPU
// state in snapshots, and the platform's own writes.
#include "cpu_model/architectural_msrs.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "cpu_model/msr_registry.h"
#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"
#include "sim/snapshot/snapshot_registry.h"

namespace dlsim {
namespace {

using test::assemble;
using test::CpuRig;

// Flat GDT (code 0x08, data 0x10) and an IDT whose #GP gate (13) leads to a
// handler that sets EBX to 0xbad and halts; then `body`, then HLT.
std::string guest(const std::string& body) {
  return "bits 32\norg 0x100000\n"
         "mov esp, 0x90000\nlgdt [gdtr]\nlidt [idtr]\n"
         "mov eax, gp\nmov [idt + 13*8], ax\nshr eax, 16\nmov [idt + 13*8 + 6], ax\n" +
         body +
         "\nhlt\n"
         "gp: mov ebx, 0xbad\nhlt\n"
         "align 8\n"
         "gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff\n"
         "gdtr: dw 23\ndd gdt\n"
         "align 8\n"
         "idt: times 13 dq 0\ndw 0, 0x08, 0x8e00, 0\ntimes 18 dq 0\n"
         "idtr: dw 32*8-1\ndd idt\n";
}

RunExit runGuest(CpuRig& rig, const std::string& body) {
  rig.load(0x100000, assemble(guest(body)));
  rig.cpu().setArchState(CpuRig::flat32(0x100000));
  return rig.run();
}

TEST(ArchitecturalMsrs, GuestReadsMtrrCapAndProgramsDefType) {
  CpuRig rig;
  runGuest(rig,
           "mov ecx, 0xfe\nrdmsr\nmov esi, eax\n"
           "mov ecx, 0x2ff\nmov eax, 0xc06\nxor edx, edx\nwrmsr\nxor eax, eax\nrdmsr\nmov edi, eax\n"
           "mov ecx, 0x179\nrdmsr\nmov ebp, eax\nxor ebx, ebx");
  // VCNT 10, FIX (bit 8), WC (bit 10); DEF_TYPE E|FE|WB; MCG_CAP.Count 10.
  EXPECT_EQ(rig.cpu().reg(Reg::Rsi), 0x50au);
  EXPECT_EQ(rig.cpu().reg(Reg::Rdi), 0xc06u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rbp), 10u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rbx), 0u);
}

TEST(ArchitecturalMsrs, GuestWriteOfAnInvalidMemoryTypeRaisesGp) {
  CpuRig rig;
  // Type 2 is reserved (SDM vol. 3A, table 11-8): WRMSR raises #GP, the MSR keeps 0.
  const RunExit e = runGuest(rig, "xor ebx, ebx\nmov ecx, 0x2ff\nmov eax, 0x802\nxor edx, edx\nwrmsr\nmov ebx, 1");
  EXPECT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_EQ(rig.cpu().reg(Reg::Rbx), 0xbadu);
  EXPECT_EQ(rig.cpu().readMsr(0x2ff), 0u);
}

TEST(ArchitecturalMsrs, MtrrWriteRules) {
  CpuRig rig;
  Cpu& c = rig.cpu();
  // DEF_TYPE: types 0, 1, 4, 5, 6 valid; 2, 3, 7 reserved; bits 9:8 and 63:12 reserved.
  for (uint64_t t : {0u, 1u, 4u, 5u, 6u}) EXPECT_TRUE(c.writeMsr(0x2ff, 0x800 | t)) << t;
  for (uint64_t t : {2u, 3u, 7u, 0x10u}) EXPECT_FALSE(c.writeMsr(0x2ff, t)) << t;
  EXPECT_FALSE(c.writeMsr(0x2ff, 0x100 | 6));
  EXPECT_FALSE(c.writeMsr(0x2ff, 0x1000 | 6));
  // MTRRCAP is read-only.
  EXPECT_FALSE(c.writeMsr(0xfe, 0x50a));
  // Variable ranges: 10 pairs (0x200-0x213); MAXPHYADDR is 40 in the default profile.
  EXPECT_TRUE(c.writeMsr(0x200, 0xfff00000ull | 6));
  EXPECT_TRUE(c.writeMsr(0x201, 0xfffff00000ull | 0x800));
  EXPECT_EQ(c.readMsr(0x201), 0xfffff00800ull);
  EXPECT_FALSE(c.writeMsr(0x200, 0x7));                    // type 7
  EXPECT_FALSE(c.writeMsr(0x200, 0x100 | 6));              // bit 8 reserved
  EXPECT_FALSE(c.writeMsr(0x200, (1ull << 40) | 6));       // above MAXPHYADDR
  EXPECT_FALSE(c.writeMsr(0x201, 0x800 | 1));              // bits 10:0 reserved
  EXPECT_TRUE(c.writeMsr(0x213, 0));
  EXPECT_FALSE(c.readMsr(0x214).has_value());              // pair 10 does not exist
  EXPECT_FALSE(c.writeMsr(0x214, 0));
  // Fixed ranges: every byte a valid type.
  EXPECT_TRUE(c.writeMsr(0x250, 0x0606060606060606ull));
  EXPECT_TRUE(c.writeMsr(0x26f, 0x0504010006060606ull));
  EXPECT_FALSE(c.writeMsr(0x258, 0x0606060606060206ull));
  EXPECT_FALSE(c.readMsr(0x260).has_value());              // no fixed MTRR there
  EXPECT_EQ(c.readMsr(0x26f), 0x0504010006060606ull);
  // PAT stays the engine's.
  EXPECT_TRUE(c.readMsr(0x277).has_value());
}

TEST(ArchitecturalMsrs, MachineCheckRules) {
  CpuRig rig;
  Cpu& c = rig.cpu();
  EXPECT_EQ(c.readMsr(0x179), 10u);
  EXPECT_FALSE(c.writeMsr(0x179, 0));
  // MCG_STATUS: RIPV, EIPV, MCIP writable; bits 63:3 reserved.
  EXPECT_TRUE(c.writeMsr(0x17a, 4));
  EXPECT_EQ(c.readMsr(0x17a), 4u);
  EXPECT_FALSE(c.writeMsr(0x17a, 8));
  // Banks 0-9 at 0x400-0x427: CTL any value, STATUS zeros only.
  EXPECT_TRUE(c.writeMsr(0x400, ~0ull));
  EXPECT_EQ(c.readMsr(0x400), ~0ull);
  EXPECT_FALSE(c.writeMsr(0x401, 1));
  EXPECT_TRUE(c.writeMsr(0x401, 0));
  EXPECT_TRUE(c.writeMsr(0x426, 0x1234));  // MC9_ADDR
  EXPECT_FALSE(c.readMsr(0x428).has_value());
}

TEST(ArchitecturalMsrs, PlatformSetsWhatSoftwareCannot) {
  CpuRig rig;
  Cpu& c = rig.cpu();
  // An uncorrected error (VAL bit 63, UC bit 61, PCC bit 57) in bank 3's STATUS.
  const uint64_t ucError = (1ull << 63) | (1ull << 61) | (1ull << 57) | 0x150;
  EXPECT_TRUE(rig.msrs().setByPlatform(0, 0x40d, ucError));
  EXPECT_EQ(c.readMsr(0x40d), ucError);
  EXPECT_TRUE(c.writeMsr(0x40d, 0));  // software clears it
  EXPECT_EQ(c.readMsr(0x40d), 0u);
  // The platform ID (read-only to software).
  EXPECT_FALSE(c.writeMsr(0x17, 1ull << 50));
  EXPECT_TRUE(rig.msrs().setByPlatform(0, 0x17, 1ull << 50));
  EXPECT_EQ(c.readMsr(0x17), 1ull << 50);
  // SMM_MONITOR_CTL: WRMSR outside SMM raises #GP; the platform sets a valid value.
  EXPECT_EQ(c.readMsr(0x9b), 0u);
  EXPECT_FALSE(c.writeMsr(0x9b, 1));
  EXPECT_FALSE(rig.msrs().setByPlatform(0, 0x9b, 2));  // bit 1 reserved
  EXPECT_TRUE(rig.msrs().setByPlatform(0, 0x9b, 0x00a00001));
  EXPECT_EQ(c.readMsr(0x9b), 0x00a00001u);
  // No range: refused.
  EXPECT_FALSE(rig.msrs().setByPlatform(0, 0x12345678, 0));
}

// The MSRs registered alone (no CPU) for two CPUs, with rd/wr helpers.
struct TwoCpuMsrs {
  explicit TwoCpuMsrs(ArchMsrConfig cfg) {
    cfg.cpus = 2;
    reset = registerArchitecturalMsrs(msrs, snapshots, cfg);
  }
  std::optional<uint64_t> rd(int cpu, uint32_t m) { return msrs.find(m)->read(cpu, m); }
  bool wr(int cpu, uint32_t m, uint64_t v) { return msrs.find(m)->write(cpu, m, v); }
  MsrRegistry msrs;
  SnapshotRegistry snapshots;
  std::function<void(ResetKind)> reset;
};

TEST(ArchitecturalMsrs, StatePerCpuAndInSnapshots) {
  ArchMsrConfig cfg;
  cfg.variableMtrrs = 2;
  cfg.fixedMtrrs = false;
  cfg.machineCheckBanks = 1;
  TwoCpuMsrs t(cfg);
  MsrRegistry& msrs = t.msrs;
  SnapshotRegistry& snapshots = t.snapshots;
  auto rd = [&](int cpu, uint32_t m) { return t.rd(cpu, m); };
  auto wr = [&](int cpu, uint32_t m, uint64_t v) { return t.wr(cpu, m, v); };
  EXPECT_EQ(rd(0, 0xfe), 2u | (1u << 10));  // VCNT 2, WC, no FIX
  EXPECT_EQ(msrs.find(0x250), nullptr);         // no fixed ranges
  EXPECT_FALSE(wr(0, 0x2ff, 0x400));            // FE without fixed ranges is reserved
  ASSERT_TRUE(wr(1, 0x2ff, 0x806));
  EXPECT_EQ(rd(0, 0x2ff), 0u);
  ASSERT_TRUE(msrs.setByPlatform(1, 0x401, 1ull << 63));
  const SnapshotRegistry::Saved saved = snapshots.save();
  ASSERT_TRUE(wr(1, 0x2ff, 0));
  ASSERT_TRUE(wr(1, 0x401, 0));
  snapshots.restore(saved);
  EXPECT_EQ(rd(1, 0x2ff), 0x806u);
  EXPECT_EQ(rd(1, 0x401), 1ull << 63);
  EXPECT_EQ(rd(0, 0x401), 0u);
}

// Platform reset: SDM vol. 3A 11.11.5 (RESET disables the MTRRs: DEF_TYPE.E
// and every PHYSMASK.V clear) and vol. 3B 15.8 (the banks' error log is
// cleared only on a power-on reset, so it survives a warm one).
TEST(ArchitecturalMsrs, PlatformResetDisablesMtrrsAndKeepsTheErrorLogOnlyWhenWarm) {
  ArchMsrConfig cfg;
  cfg.variableMtrrs = 2;
  cfg.machineCheckBanks = 2;
  TwoCpuMsrs t(cfg);
  MsrRegistry& msrs = t.msrs;
  const std::function<void(ResetKind)> reset = t.reset;
  auto rd = [&](int cpu, uint32_t m) { return t.rd(cpu, m); };
  auto wr = [&](int cpu, uint32_t m, uint64_t v) { return t.wr(cpu, m, v); };
  auto dirty = [&] {
    for (int cpu : {0, 1}) {
      ASSERT_TRUE(wr(cpu, 0x2ff, 0xc06));                  // E, FE, default WB
      ASSERT_TRUE(wr(cpu, 0x200, 0x80000006));             // PHYSBASE0: 2 GiB, WB
      ASSERT_TRUE(wr(cpu, 0x201, 0xff80000800ull));        // PHYSMASK0: 2 GiB, V
      ASSERT_TRUE(wr(cpu, 0x250, 0x0606060606060606ull));  // FIX64K_00000: WB
      ASSERT_TRUE(wr(cpu, 0x17a, 0x4));                    // MCG_STATUS.MCIP
      ASSERT_TRUE(msrs.setByPlatform(cpu, 0x405, (1ull << 63) | (1ull << 61)));  // MC1_STATUS: VAL, UC
      ASSERT_TRUE(wr(cpu, 0x406, 0x1234000));                                    // MC1_ADDR
      ASSERT_TRUE(wr(cpu, 0x404, ~0ull));                                        // MC1_CTL
    }
  };
  dirty();
  reset(ResetKind::Warm);
  for (int cpu : {0, 1}) {
    EXPECT_EQ(rd(cpu, 0x2ff), 0u);
    EXPECT_EQ(*rd(cpu, 0x201) & (1u << 11), 0u) << "PHYSMASK0.V survived the reset";
    EXPECT_EQ(rd(cpu, 0x200), 0u);
    EXPECT_EQ(rd(cpu, 0x250), 0u);
    EXPECT_EQ(rd(cpu, 0x17a), 0u);
    EXPECT_EQ(rd(cpu, 0x405), (1ull << 63) | (1ull << 61));
    EXPECT_EQ(rd(cpu, 0x406), 0x1234000u);
    EXPECT_EQ(rd(cpu, 0x404), ~0ull);
    EXPECT_EQ(rd(cpu, 0xfe), 2u | (1u << 8) | (1u << 10));  // MTRRCAP is a capability: unchanged
  }
  dirty();
  reset(ResetKind::Cold);
  for (int cpu : {0, 1}) {
    EXPECT_EQ(rd(cpu, 0x2ff), 0u);
    EXPECT_EQ(rd(cpu, 0x201), 0u);
    EXPECT_EQ(rd(cpu, 0x17a), 0u);
    EXPECT_EQ(rd(cpu, 0x405), 0u);
    EXPECT_EQ(rd(cpu, 0x406), 0u);
    EXPECT_EQ(rd(cpu, 0x404), 0u);
  }
}

}  // namespace
}  // namespace dlsim
