// A CPU that rewrites code it has already run, then runs it again within the
// same quantum. Unicorn re-translates the block itself; when the new code has
// the same address and size, dlsim must still count its instructions and
// intercept its special instructions (expected values from the programs'
// shapes).
#include <gtest/gtest.h>

#include "sim/machine/machine.h"
#include "cpu_model/testkit/assemble.h"

namespace dlsim {
namespace {

using test::assemble;

Observation runProtected(const std::string& source) {
  MachineConfig c;
  c.cpus = 1;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x1000000, "main"}};
  c.maxInstructions = 1000000;
  Machine m(c);
  const auto code = assemble(source);
  EXPECT_TRUE(m.memory().write(0x100000, code.data(), code.size()));
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = 0x100000;
  m.boot(b);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  return m.observe();
}

// `target` is 4 NOPs and a RET (5 instructions, 5 bytes); the first pass
// patches it to two 2-byte MOVs and the RET (3 instructions, 5 bytes).
TEST(SelfModifyingCode, SameSizeBlockWithFewerInstructionsIsCountedAnew) {
  const Observation o = runProtected(R"(bits 32
org 0x100000
  mov esp, 0x90000
  mov ecx, 2
again:
  call target
  mov dword [target], 0xc089c089   ; mov eax, eax; mov eax, eax
  dec ecx
  jnz again
  rdtsc
  hlt
target:
  nop
  nop
  nop
  nop
  ret
)");
  // 2 movs; pass 1: call, 5 in target, mov, dec, jnz; pass 2: call, 3, mov, dec, jnz; rdtsc, hlt.
  const uint64_t expected = 2 + (1 + 5 + 3) + (1 + 3 + 3) + 2;
  EXPECT_EQ(o.instructions, expected);
  EXPECT_EQ(o.cpus[0].registers.at("rax"), expected - 1);  // RDTSC counts itself, not the HLT
}

// The first pass turns `target`'s two NOPs into an RDTSC (same 3-byte block
// with the RET). The second pass must read virtual time, not the host's TSC.
TEST(SelfModifyingCode, SpecialInstructionPatchedIntoARunBlockIsIntercepted) {
  const Observation o = runProtected(R"(bits 32
org 0x100000
  mov esp, 0x90000
  mov ecx, 2
again:
  xor eax, eax
  xor edx, edx
  call target
  mov word [target], 0x310f   ; rdtsc
  dec ecx
  jnz again
  hlt
target:
  nop
  nop
  ret
)");
  // 2 movs; pass 1: xor, xor, call, nop, nop, ret, mov, dec, jnz; pass 2: xor, xor, call, rdtsc.
  const uint64_t rdtscAt = 2 + 9 + 4;
  EXPECT_EQ(o.cpus[0].registers.at("rax"), rdtscAt);
  EXPECT_EQ(o.cpus[0].registers.at("rdx"), 0u);
  EXPECT_EQ(o.instructions, rdtscAt + 4 + 1);  // ret, mov, dec, jnz; hlt
}

// A block that patches its own next instruction: Unicorn stops the block
// after the store and runs the rest anew; every instruction still counts once.
TEST(SelfModifyingCode, BlockThatPatchesItselfCountsEachInstructionOnce) {
  const Observation o = runProtected(R"(bits 32
org 0x100000
  mov esp, 0x90000
  xor eax, eax
  mov byte [patch], 0x90   ; inc eax -> nop
patch:
  inc eax
  inc eax
  rdtsc
  hlt
)");
  EXPECT_EQ(o.cpus[0].registers.at("rax"), 6u);  // mov, xor, mov, nop, inc, rdtsc
  EXPECT_EQ(o.instructions, 7u);
}

// Not a store: a block whose last instruction loops on itself starts a
// one-instruction block inside the one that ran; nothing may be taken back.
TEST(SelfModifyingCode, BranchToItsOwnLastInstructionIsNotMistakenForAPatch) {
  const Observation o = runProtected(R"(bits 32
org 0x100000
  mov esp, 0x90000
  mov ecx, 5
spin:
  loop spin
  rdtsc
  hlt
)");
  EXPECT_EQ(o.cpus[0].registers.at("rax"), 8u);  // mov, mov, 5 x loop, rdtsc
  EXPECT_EQ(o.instructions, 9u);
}

}  // namespace
}  // namespace dlsim
