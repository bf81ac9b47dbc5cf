// The CPU core on real guest code: modes, I/O, intercepted instructions,
// exceptions through the guest's IDT, triple fault, stops.
#include <gtest/gtest.h>

#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

using test::assemble;

MachineConfig smallMachine(int cpus = 1) { return test::smallMachine(cpus, 0x1000000, 10000000); }

void load(Machine& m, const std::vector<uint8_t>& code, uint64_t at, EntryMode mode) {
  test::loadAndBoot(m, code, at, mode);
}

TEST(MachineBasics, RealModeRunsAndHalts) {
  Machine m(smallMachine());
  load(m, assemble("bits 16\norg 0x7c00\nmov ax, 0x1234\nmov bx, ax\nadd bx, 1\nhlt\n"), 0x7c00, EntryMode::Real);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].state, "halted");
  EXPECT_EQ(o.cpus[0].registers["rax"], 0x1234u);
  EXPECT_EQ(o.cpus[0].registers["rbx"], 0x1235u);
  EXPECT_EQ(o.cpus[0].mode, "real");
  EXPECT_EQ(o.instructions, 4u);
}

TEST(MachineBasics, SerialOutputIsCaptured) {
  Machine m(smallMachine());
  load(m, assemble(R"(bits 32
org 0x100000
  mov esi, msg
  mov dx, 0x3f8
next:
  lodsb
  test al, al
  jz done
  out dx, al
  jmp next
done:
  hlt
msg: db "hello, dlsim", 10, 0
)"),
       0x100000, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  EXPECT_EQ(m.observe().serial["com1"], "hello, dlsim\n");
}

TEST(MachineBasics, RdtscReadsVirtualTimeDeterministically) {
  Machine m(smallMachine());
  load(m, assemble(R"(bits 32
org 0x100000
  rdtsc
  mov ebx, eax
  nop
  nop
  rdtsc
  hlt
)"),
       0x100000, EntryMode::Protected);
  m.run();
  Observation o = m.observe();
  // RDTSC reads the instructions retired so far, itself included: the first
  // is instruction 1, the second instruction 5 (rdtsc, mov, nop, nop, rdtsc).
  EXPECT_EQ(o.cpus[0].registers["rbx"], 1u);
  EXPECT_EQ(o.cpus[0].registers["rax"], 5u);
  EXPECT_EQ(o.cpus[0].registers["rdx"], 0u);
}

TEST(MachineBasics, FaultsGoThroughTheIdtAgainAndAgain) {
  // Three #GP in a row (RDMSR of an MSR nobody implements): each reaches the
  // handler, which counts and skips the 2-byte instruction. Unicorn alone
  // would turn the second into #DF.
  Machine m(smallMachine());
  load(m, assemble(R"(bits 32
org 0x100000
  mov esp, 0x90000
  mov eax, gp_handler
  mov [idt + 13*8], ax
  mov word [idt + 13*8 + 2], 0x10   ; boot code selector
  mov word [idt + 13*8 + 4], 0x8e00 ; present 32-bit interrupt gate
  shr eax, 16
  mov [idt + 13*8 + 6], ax
  lidt [idtr]
  xor edi, edi
  mov esi, 0xffffffff
  mov ecx, 0x12345678
  rdmsr
  rdmsr
  rdmsr
  hlt
gp_handler:
  inc edi
  pop esi            ; error code
  add dword [esp], 2 ; skip rdmsr
  iret
align 8
idt:
  times 32 dq 0
idt_end:
idtr: dw idt_end - idt - 1
      dd idt
)"),
       0x100000, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rdi"], 3u);
  EXPECT_EQ(o.cpus[0].registers["rsi"], 0u);  // #GP(0)
  EXPECT_EQ(o.cpus[0].registers["rsp"], 0x90000u);
  ASSERT_FALSE(o.events.empty());
  EXPECT_NE(o.events[0].find("0x12345678"), std::string::npos) << o.events[0];
}

TEST(MachineBasics, NoIdtMeansTripleFault) {
  Machine m(smallMachine());
  load(m, assemble("bits 32\norg 0x100000\n  lidt [idtr]\n  ud2\nidtr: dw 0\n dd 0\n"), 0x100000,
       EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kTripleFault) << s.detail;
  EXPECT_EQ(s.cpu, 0);
  EXPECT_NE(s.detail.find("triple fault on CPU 0"), std::string::npos) << s.detail;
  EXPECT_NE(s.detail.find("#UD"), std::string::npos) << s.detail;
  EXPECT_NE(s.detail.find("#DF"), std::string::npos) << s.detail;
  EXPECT_EQ(m.observe().cpus[0].state, "shutdown");
}

TEST(MachineBasics, LongModeEntryRuns64BitCode) {
  Machine m(smallMachine());
  load(m, assemble("bits 64\norg 0x100000\n  mov rax, 0x123456789abcdef0\n  mov r9, rax\n  hlt\n"), 0x100000,
       EntryMode::Long);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].mode, "long");
  EXPECT_EQ(o.cpus[0].registers["r9"], 0x123456789abcdef0ull);
}

TEST(MachineBasics, EndlessLoopHitsTheInstructionBudget) {
  Machine m(smallMachine());
  load(m, assemble("bits 32\norg 0x100000\n  jmp $\n"), 0x100000, EntryMode::Protected);
  StopInfo s = m.run(100000);
  EXPECT_EQ(s.reason, stop_reason::kInstructionLimit) << s.detail;
  EXPECT_EQ(m.observe().instructions, 100000u);
}

// More distinct blocks than the engine's block cache has slots, run three
// times over: slots are shared and refilled, and every instruction is still
// counted exactly once (the count follows from the program's shape).
TEST(MachineBasics, MoreBlocksThanCacheSlotsAreCountedExactly) {
  constexpr int kBlocks = 20000;  // the cache has 16384 slots
  Machine m(smallMachine());
  load(m, assemble(R"(bits 32
org 0x100000
  mov ecx, 3
  xor eax, eax
outer:
%rep )" + std::to_string(kBlocks) + R"(
  inc eax
  jmp $+2           ; ends the block
%endrep
  dec ecx
  jnz outer
  rdtsc
  hlt
)"),
       0x100000, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  const uint64_t expected = 2 + 3 * (2 * kBlocks + 2) + 2;  // ... rdtsc, hlt
  EXPECT_EQ(o.instructions, expected);
  // RDTSC (an intercepted instruction) reads the exact time: itself included.
  EXPECT_EQ(o.cpus[0].registers["rax"], expected - 1);
}

// The same program with a block trace attached, which sends every block
// start through the engine's slow path: blocks that share a cache slot and
// move through the victim table must leave the same trace hash and time as
// the slow path gives, and the trace must see every block start.
TEST(MachineBasics, CacheSlotSharingLeavesTheSlowPathsTraceHash) {
  constexpr int kBlocks = 20000;
  const auto code = assemble(R"(bits 32
org 0x100000
  mov ecx, 3
outer:
%rep )" + std::to_string(kBlocks) + R"(
  inc eax
  jmp $+2
%endrep
  dec ecx
  jnz outer
  hlt
)");
  auto runOnce = [&](bool traced, uint64_t& blocksSeen) {
    Machine m(smallMachine());
    load(m, code, 0x100000, EntryMode::Protected);
    blocksSeen = 0;
    if (traced) m.platform().blockTrace = [&](int, uint64_t, uint32_t) { ++blocksSeen; };
    StopInfo s = m.run();
    EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
    return m.observe();
  };
  uint64_t untracedBlocks = 0, tracedBlocks = 0;
  const Observation fast = runOnce(false, untracedBlocks);
  const Observation slow = runOnce(true, tracedBlocks);
  // Per pass kBlocks blocks (the first one starts with the mov) and dec/jnz; then hlt.
  EXPECT_EQ(tracedBlocks, 3 * (kBlocks + 1) + 1u);
  EXPECT_EQ(fast.instructions, 1 + 3 * (2 * kBlocks + 2) + 1u);
  EXPECT_EQ(slow.instructions, fast.instructions);
  EXPECT_EQ(slow.traceHash, fast.traceHash);
}

TEST(MachineBasics, WildWriteIsReportedNotCrashed) {
  Machine m(smallMachine());
  load(m, assemble("bits 32\norg 0x100000\n  mov dword [0xdead0000], 1\n  hlt\n"), 0x100000, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kUnmappedAccess) << s.detail;
  EXPECT_NE(s.detail.find("0xdead0000"), std::string::npos) << s.detail;
  EXPECT_EQ(s.address, 0x100000u);
}

TEST(MachineBasics, StopAddressStopsBeforeTheInstruction) {
  MachineConfig c = smallMachine();
  c.stopAt = 0x100005;
  Machine m(c);
  load(m, assemble("bits 32\norg 0x100000\n  mov eax, 1\n  mov eax, 2\n  hlt\n"), 0x100000, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kStopAddress) << s.detail;
  EXPECT_EQ(s.address, 0x100005u);
  EXPECT_EQ(m.observe().cpus[0].registers["rax"], 1u);
}

TEST(MachineBasics, RdrandIsSeededNotHostRandom) {
  auto code = assemble("bits 32\norg 0x100000\n  rdrand eax\n  rdrand ebx\n  setc cl\n  hlt\n");
  auto runWith = [&](uint64_t seed) {
    MachineConfig c = smallMachine();
    c.seed = seed;
    Machine m(c);
    load(m, code, 0x100000, EntryMode::Protected);
    m.run();
    return m.observe().cpus[0].registers;
  };
  auto a = runWith(1), b = runWith(1), d = runWith(2);
  EXPECT_EQ(a["rax"], b["rax"]);
  EXPECT_EQ(a["rbx"], b["rbx"]);
  EXPECT_NE(a["rax"], a["rbx"]);
  EXPECT_NE(a["rax"], d["rax"]);
  EXPECT_EQ(a["rcx"] & 0xff, 1u);
}

}  // namespace
}  // namespace dlsim
