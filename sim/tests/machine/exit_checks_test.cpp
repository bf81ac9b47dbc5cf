// Blocks translated without Unicorn's exit checks (cpu_model/
// unicorn_exit_checks.h) must still let a special instruction's hook end the
// block: a block that holds an already hooked RDTSC and is translated later
// (here: entered in its middle) is translated again with checks. Expected
// values from the program's shape: RDTSC reads the instructions retired,
// itself included.
#include <gtest/gtest.h>

#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

using test::GuestRun;
using test::runProtected;

TEST(ExitChecks, HookedInstructionInABlockTranslatedLaterStillEndsItsBlock) {
  const GuestRun r = runProtected(R"(bits 32
org 0x100000
  mov esp, 0x90000
  xor edi, edi
  xor esi, esi
  jmp first
first:
  nop
mid:
  rdtsc             ; pass 1: in the block from `first`; pass 2: a new block from `mid`
  add esi, eax
  inc edi
  cmp edi, 2
  jae done
  jmp mid
done:
  hlt
)");
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  const Observation& o = r.obs;
  // mov, xor, xor, jmp, nop, rdtsc (6); add, inc, cmp, jae, jmp, rdtsc (12);
  // add, inc, cmp, jae, hlt.
  EXPECT_EQ(o.cpus[0].registers.at("rsi"), 6u + 12u);
  EXPECT_EQ(o.cpus[0].registers.at("rdx"), 0u);
  EXPECT_EQ(o.instructions, 17u);
}

// The engine's first blocks are translated with checks; the storing block
// here comes later, without them. The wild write must still stop the CPU at
// the store, with the instruction after it not run.
TEST(ExitChecks, WildWriteInABlockTranslatedWithoutChecksStopsAtTheStore) {
  const GuestRun r = runProtected(R"(bits 32
org 0x100000
  mov esp, 0x90000
  jmp next
next:
  nop
  jmp store
store:
  mov eax, 0x5a5a5a5a   ; store = 0x10000a
  mov ebx, 0x80000000
  mov [ebx], eax        ; 0x100014
  mov eax, 0x600d
  jmp $                 ; no HLT: its hook would bring the checks back
)");
  EXPECT_EQ(r.stop.reason, stop_reason::kUnmappedAccess) << r.stop.detail;
  EXPECT_EQ(r.stop.address, 0x100014u);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rax"), 0x5a5a5a5au);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rip"), 0x100014u);
  EXPECT_EQ(r.obs.instructions, 6u);  // mov, jmp, nop, jmp, mov, mov
}

}  // namespace
}  // namespace dlsim
