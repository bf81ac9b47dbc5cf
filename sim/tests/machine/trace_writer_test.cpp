// `--trace` lists exactly the instructions that retired, in order: the far
// jump after `mov cr0` (a block of its own), each instruction of a block cut
// short by an emulated instruction once, and nothing after a faulting
// instruction of its block. Expected address sequences come from the
// programs' shapes (instruction sizes noted beside each line).
#include "sim/machine/trace_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

struct TracedRun {
  StopInfo stop;
  Observation obs;
  std::vector<uint64_t> addresses;  // of the trace's instruction lines, in order
  std::vector<std::string> lines;
};

TracedRun runTraced(const std::string& source, const BootState& boot, uint64_t loadAt) {
  Machine m(test::smallMachine());
  const auto code = test::assemble(source);
  EXPECT_TRUE(m.memory().write(loadAt, code.data(), code.size()));
  const std::string path = ::testing::TempDir() + "dlsim_trace_writer_test.trace";
  TracedRun r;
  {
    TraceWriter trace(m, path);
    m.boot(boot);
    r.stop = m.run();
    r.obs = m.observe();
  }
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    unsigned long long a = 0;
    int cpu = -1;
    if (std::sscanf(line.c_str(), "cpu%d 0x%llx", &cpu, &a) != 2) continue;
    r.addresses.push_back(a);
    r.lines.push_back(line);
  }
  std::remove(path.c_str());
  return r;
}

TEST(TraceWriter, FarJumpAfterMovCr0IsListed) {
  BootState b;
  b.mode = EntryMode::Real;
  b.entry = 0x7c00;
  const TracedRun r = runTraced(R"(bits 16
org 0x7c00
  cli                   ; 7c00 (1)
  lgdt [gdtr]           ; 7c01 (5)
  mov eax, cr0          ; 7c06 (3)
  or al, 1              ; 7c09 (2)
  mov cr0, eax          ; 7c0b (3): ends its block
  jmp 0x08:pm           ; 7c0e (5): a block of its own
bits 32
pm:
  mov eax, 0x600d       ; 7c13 (5)
  hlt                   ; 7c18 (1)
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff ; flat 32-bit code
gdtr:
  dw 15
  dd gdt
)",
                                b, 0x7c00);
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  EXPECT_EQ(r.addresses, (std::vector<uint64_t>{0x7c00, 0x7c01, 0x7c06, 0x7c09, 0x7c0b, 0x7c0e, 0x7c13, 0x7c18}));
  EXPECT_EQ(r.obs.instructions, 8u);
}

TEST(TraceWriter, BlockCutShortByEmulatedInstructionsIsListedOnce) {
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = 0x100000;
  const TracedRun r = runTraced(R"(bits 32
org 0x100000
  mov esp, 0x90000      ; 100000 (5)
  jmp a                 ; 100005 (2)
a:
  mov ebx, 1            ; 100007 (5)
  rdtsc                 ; 10000c (2): emulated, ends the block
  mov ecx, 2            ; 10000e (5)
  rdtsc                 ; 100013 (2)
  mov edx, 3            ; 100015 (5)
  hlt                   ; 10001a (1)
)",
                                b, 0x100000);
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  EXPECT_EQ(r.addresses, (std::vector<uint64_t>{0x100000, 0x100005, 0x100007, 0x10000c, 0x10000e, 0x100013,
                                                0x100015, 0x10001a}));
  EXPECT_EQ(r.obs.instructions, 8u);
}

TEST(TraceWriter, NothingAfterAFaultingDivIsListed) {
  BootState b;
  b.mode = EntryMode::Real;
  b.entry = 0x7c00;
  const TracedRun r = runTraced(R"(bits 16
org 0x7c00
  xor ax, ax            ; 7c00 (2)
  mov ds, ax            ; 7c02 (2)
  mov word [0], handler ; 7c04 (6): IVT vector 0 (#DE)
  mov word [2], 0       ; 7c0a (6)
  jmp short b           ; 7c10 (2)
b:
  mov ax, 1             ; 7c12 (3)
  mov bl, 0             ; 7c15 (2)
  div bl                ; 7c17 (2): #DE, does not retire
  hlt                   ; 7c19 (1): never runs
handler:
  mov cx, 0x1234        ; 7c1a (3)
  hlt                   ; 7c1d (1)
)",
                                b, 0x7c00);
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[0].registers.at("rcx"), 0x1234u);
  EXPECT_EQ(r.addresses,
            (std::vector<uint64_t>{0x7c00, 0x7c02, 0x7c04, 0x7c0a, 0x7c10, 0x7c12, 0x7c15, 0x7c1a, 0x7c1d}));
  EXPECT_EQ(r.obs.instructions, 9u);
}

}  // namespace
}  // namespace dlsim
