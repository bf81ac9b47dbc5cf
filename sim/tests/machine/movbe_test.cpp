// MOVBE (load and store, 32- and 16-bit) as dlsim executes it (the engine's
// qemu64 has no MOVBE): with CPUID reporting it, also while CR0.TS is set,
// where Unicorn raises #NM for 0F 38 opcodes and the APM lists none; #UD
// when CPUID does not report it.
#include <gtest/gtest.h>

#include "sim/tests/machine/small_machine.h"

namespace dlsim::test {
namespace {

const char* kGuest = R"(bits 32
org 0x100000
  mov eax, cr0
  or eax, 8                  ; CR0.TS
  mov cr0, eax
  mov dword [0x2000], 0x11223344
  movbe ecx, [0x2000]        ; ECX = 0x44332211
  mov ebx, 0xaabbccdd
  movbe [0x2004], ebx        ; bytes aa bb cc dd
  mov edx, 0xffff0000
  movbe dx, [0x2000]         ; DX = 0x4433, the rest kept
  hlt
)";

TEST(Movbe, LoadsAndStoresByteSwappedWithCr0TsSet) {
  MachineConfig c = smallMachine();
  c.cpuid.add = {"movbe"};
  Machine m(c);
  loadAndBoot(m, assemble(kGuest), kMainRam, EntryMode::Protected);
  GuestRun r = runToStop(m);
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(m.cpu(0).reg(Reg::Rcx) & 0xffffffff, 0x44332211u);
  EXPECT_EQ(m.cpu(0).reg(Reg::Rdx) & 0xffffffff, 0xffff4433u);
  uint8_t b[4] = {};
  ASSERT_TRUE(m.memory().read(0x2004, b, 4));
  EXPECT_EQ(b[0], 0xaa);
  EXPECT_EQ(b[1], 0xbb);
  EXPECT_EQ(b[2], 0xcc);
  EXPECT_EQ(b[3], 0xdd);
}

TEST(Movbe, UndefinedWithoutTheCpuidBit) {
  Machine m(smallMachine());
  loadAndBoot(m, assemble(kGuest), kMainRam, EntryMode::Protected);
  GuestRun r = runToStop(m);
  EXPECT_EQ(r.stop.reason, "triple-fault");
  EXPECT_NE(r.stop.detail.find("#UD"), std::string::npos) << r.stop.detail;
}

}  // namespace
}  // namespace dlsim::test
