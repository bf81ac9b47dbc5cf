// Cpu::archState / setArchState at CPU level (cpu_model/testkit): the whole
// state round-trips in each mode and across the two engines, hidden segment
// parts are loaded without any descriptor in memory (as SKINIT and GETSEC
// load them) and are what the CPU then runs on, and a handler can load a new
// state for the CPU that runs it. Expected values are the ones each test set.
#include "cpu_model/arch_state.h"

#include <capstone/capstone.h>
#include <gtest/gtest.h>

#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"

namespace dlsim {
namespace {

using test::assemble;
using test::CpuRig;

// Identity page tables for the first 1 GiB (2 MiB pages) at `at`: PML4,
// PDPT, one page directory.
uint64_t buildPageTables(GuestMemory& mem, uint64_t at) {
  mem.fill(at, 0, 0x3000);
  mem.writeValue<uint64_t>(at, (at + 0x1000) | 3);
  mem.writeValue<uint64_t>(at + 0x1000, (at + 0x2000) | 3);
  for (uint64_t i = 0; i < 512; ++i) mem.writeValue<uint64_t>(at + 0x2000 + i * 8, (i << 21) | 0x83);
  return at;
}

ArchState longState(GuestMemory& mem, uint64_t entry) {
  ArchState a;
  a.cr3 = buildPageTables(mem, 0x10000);
  a.cr4 = 1u << 5;
  a.efer = 1u << 8;
  a.cr0 = 0x80000011;
  a.cs = SegmentState::code64(0x08);
  a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::flatData32(0x10);
  a.rip = entry;
  return a;
}

// Everything but what running or LMA changes, filled with distinct values.
void fillDistinct(ArchState& a, bool wide) {
  for (int i = 0; i < (wide ? 16 : 8); ++i) a.gprs[i] = (wide ? 0x1111111100000000ull : 0) + 0x01010101u * (i + 1);
  a.rflags = 0x202 | 0x1;  // IF, CF
  a.cr2 = 0xdead0000;
  a.dr7 = 0x401;
  a.gdtr = TableRegister{0x7000, 0x37};
  a.idtr = TableRegister{0x7800, 0xff};
  a.ldtr = SegmentState{0x28, 0x6000, 0x7f, SegmentState::kPresent | (0x2u << 8)};
  a.tr = SegmentState{0x30, 0x6800, 0x67, SegmentState::kPresent | (0xbu << 8)};
  a.fs.base = 0x12340000;
  a.gs.base = 0x56780000;
}

TEST(ArchState, ProtectedModeRoundTripsWithoutAnyGdt) {
  CpuRig rig;
  ArchState a = CpuRig::flat32(0x100000);
  fillDistinct(a, false);
  rig.cpu().setArchState(a);
  EXPECT_EQ(rig.cpu().archState(), a);
  EXPECT_EQ(rig.cpu().codeBits(), 32);
  EXPECT_EQ(rig.cpu().modeName(), "protected");
}

TEST(ArchState, RealModeRoundTripsAndRunsAtTheHiddenBase) {
  CpuRig rig;
  // Code at 0x12340 + 0x10; data at DS base 0x2000.
  rig.load(0x12350, assemble("bits 16\nmov ax, [0x10]\nrdtsc\nhlt\n"));
  rig.memory().writeValue<uint16_t>(0x2010, 0xbeef);
  ArchState a = CpuRig::realMode(0x1234, 0x10);
  a.ds = SegmentState::real(0x200);
  rig.cpu().setArchState(a);
  EXPECT_EQ(rig.cpu().archState(), a);
  EXPECT_EQ(rig.cpu().codeBits(), 16);
  RunExit e = rig.run();
  EXPECT_EQ(e.kind, RunExit::Sleep);
  // RDTSC was intercepted at its linear address: it reads virtual time (2).
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), 2u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rdx), 0u);
}

TEST(ArchState, LongModeRoundTripsInTheWideEngineWithR8ToR15) {
  CpuRig rig;
  rig.load(0x100000, assemble("bits 64\nmov rax, r15\nadd rax, r8\nhlt\n"));
  ArchState a = longState(rig.memory(), 0x100000);
  fillDistinct(a, true);
  rig.cpu().setArchState(a);
  EXPECT_TRUE(rig.cpu().inLongMode());
  EXPECT_EQ(rig.cpu().codeBits(), 64);
  ArchState back = rig.cpu().archState();
  EXPECT_EQ(back.efer, a.efer | (1u << 10));  // LMA follows
  back.efer = a.efer;
  EXPECT_EQ(back, a);
  EXPECT_EQ(rig.run().kind, RunExit::Sleep);
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), a.gprs[15] + a.gprs[8]);
}

TEST(ArchState, LeavesLongModeForA32BitStateAndRunsIt) {
  CpuRig rig;
  rig.load(0x100000, assemble("bits 64\nmov r9, 0x123456789\nhlt\n"));
  rig.cpu().setArchState(longState(rig.memory(), 0x100000));
  ASSERT_EQ(rig.run().kind, RunExit::Sleep);
  ASSERT_EQ(rig.cpu().reg(Reg::R9), 0x123456789u);
  rig.load(0x200000, assemble("bits 32\nmov eax, 0x11223344\nrdtsc\nhlt\n"));
  const uint64_t before = rig.platform().time;
  ArchState p = CpuRig::flat32(0x200000);
  rig.cpu().setArchState(p);
  EXPECT_FALSE(rig.cpu().inLongMode());
  EXPECT_EQ(rig.cpu().archState(), p);
  rig.cpu().setState(CpuState::Running);
  ASSERT_EQ(rig.run().kind, RunExit::Sleep);
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), before + 2);  // RDTSC: the 2nd instruction since
}

// SKINIT-style: CS 0x08 with base 0, limit 4 GiB, 32-bit, while the GDTR
// points at zeros: the CPU runs on the hidden part alone.
TEST(ArchState, HiddenCodeSegmentWithABaseRunsWithoutDescriptors) {
  CpuRig rig;
  // 32-bit code at offset 0x40 of a segment based at 0x300000: the immediate
  // would split into other instructions if decoded as 16-bit code.
  rig.load(0x300040, assemble("bits 32\nmov ecx, 0x12345678\nrdtsc\nmov ebx, [0x100]\nhlt\n"));
  rig.memory().writeValue<uint32_t>(0x300100, 0xcafef00d);
  ArchState a = CpuRig::flat32(0x40);
  a.cs.base = a.ds.base = 0x300000;
  a.cs.limit = a.ds.limit = 0xfffff;
  a.gdtr = TableRegister{0x8000, 0xff};  // all zeros there
  rig.cpu().setArchState(a);
  EXPECT_EQ(rig.cpu().codeLinear(0x40), 0x300040u);
  ASSERT_EQ(rig.run().kind, RunExit::Sleep);
  EXPECT_EQ(rig.cpu().reg(Reg::Rcx), 0x12345678u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), 2u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rbx), 0xcafef00du);
  EXPECT_EQ(rig.platform().time, 4u);
}

// A handler loads a new state for the CPU running it (as GETSEC[SENTER] or
// SKINIT do) and the CPU continues there.
TEST(ArchState, AHandlerLoadsTheStateOfItsOwnCpu) {
  CpuRig rig;
  ArchState target = CpuRig::flat32(0x10);
  target.cs.base = target.ds.base = 0x400000;
  target.gprs[ArchState::Rax] = 0x400000;
  target.gprs[ArchState::Rsp] = 0x1000;
  rig.special().add(X86_INS_GETSEC, "test", [&](Cpu& c, const DecodedInsn&) {
    c.setArchState(target);
    return InsnOutcome::Jumped;
  });
  rig.load(0x100000, assemble("bits 32\nmov eax, 2\ngetsec\nud2\n"));
  rig.load(0x400010, assemble("bits 32\npush eax\npop edx\nmov ecx, [0x20]\nhlt\n"));
  rig.memory().writeValue<uint32_t>(0x400020, 0x5a5a1234);
  rig.cpu().setArchState(CpuRig::flat32(0x100000));
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_EQ(rig.cpu().reg(Reg::Rdx), 0x400000u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rcx), 0x5a5a1234u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rsp), 0x1000u);
  uint32_t pushed = 0;
  EXPECT_TRUE(rig.memory().readValue(0xffc, pushed));  // SS keeps base 0
  EXPECT_EQ(pushed, 0x400000u);
}

// A handler in the 32-bit engine enters long mode for its own CPU, with
// 64-bit bases the 32-bit engine's API cannot hold: the CPU runs on in long
// mode and moves to the 64-bit engine with everything intact.
TEST(ArchState, AHandlerEntersLongModeFromThe32BitEngine) {
  CpuRig rig;
  ArchState target = longState(rig.memory(), 0x200000);
  target.gprs[ArchState::R8] = 0x8888777766665555ull;
  target.tr = SegmentState{0x30, 0x123456789000ull, 0x67, SegmentState::kPresent | (0xbu << 8)};
  target.gdtr = TableRegister{0xffff800000001000ull, 0x2f};
  rig.special().add(X86_INS_GETSEC, "test", [&](Cpu& c, const DecodedInsn&) {
    c.setArchState(target);
    return InsnOutcome::Jumped;
  });
  rig.load(0x100000, assemble("bits 32\ngetsec\nud2\n"));
  rig.load(0x200000, assemble("bits 64\nmov rax, r8\nhlt\n"));
  rig.cpu().setArchState(CpuRig::flat32(0x100000));
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_TRUE(rig.cpu().inLongMode());
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), target.gprs[ArchState::R8]);
  ArchState back = rig.cpu().archState();
  EXPECT_EQ(back.tr, target.tr);
  EXPECT_EQ(back.gdtr, target.gdtr);
}

}  // namespace
}  // namespace dlsim
