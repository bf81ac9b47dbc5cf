// Accesses that cannot reach a device whole (sim/bus.h): a 16-byte SSE
// access, one that straddles RAM and MMIO, one that runs past a window's
// end. Each window's part arrives once, split as the window declares
// (MmioSplit::kAligned by default, kBytes on request), and the guest reads
// the bytes the devices answered, RAM's and all ones where nobody answers.
#include <gtest/gtest.h>

#include <vector>

#include "sim/machine/machine.h"
#include "sim/tests/machine/recording_device.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

using test::assemble;

using test::Access;
using test::Recorder;
using test::reply;

// Main RAM is [1 MiB, 17 MiB): a window right after it and one right before it.
constexpr uint64_t kRamEnd = 0x1100000;
constexpr uint64_t kBelowRam = 0xff000;

MachineConfig machine() { return test::smallMachine(1, 0x1000000, 100000); }

uint64_t ramQword(Machine& m, uint64_t at) {
  uint64_t v = 0;
  EXPECT_TRUE(m.memory().read(at, &v, 8));
  return v;
}

const char* kSseOn =
    "  mov eax, cr0\n  and eax, ~(1 << 2)\n  or eax, 1 << 1\n  mov cr0, eax\n"
    "  mov eax, cr4\n  or eax, 1 << 9\n  mov cr4, eax\n";

TEST(MmioSplit, TheSplitIsAnAttributeOfTheWindow) {
  Bus bus;
  Recorder a, b;
  bus.mapMmio(0xc0000, 0x10, &a);
  bus.mapMmio(0xc0010, 0x10, &b, MmioSplit::kBytes);
  EXPECT_EQ(bus.splitAt(0xc0000), MmioSplit::kAligned);
  EXPECT_EQ(bus.splitAt(0xc001f), MmioSplit::kBytes);
  EXPECT_EQ(bus.findMmio(0xc0010)->split, MmioSplit::kBytes);
  EXPECT_STREQ(mmioSplitName(MmioSplit::kAligned), "aligned");
  EXPECT_STREQ(mmioSplitName(MmioSplit::kBytes), "bytes");
}

TEST(MmioSplit, SixteenByteSseAccessesArriveAsTheWindowDeclares) {
  Machine m(machine());
  Recorder aligned, bytes;
  m.bus().mapMmio(0xfed50000, 0x1000, &aligned);
  m.bus().mapMmio(0xfed51000, 0x1000, &bytes, MmioSplit::kBytes);
  test::loadAndBoot(m, assemble(std::string("bits 32\norg 0x100000\n") + kSseOn + R"(
  mov ebx, 0xfed50000
  movdqu xmm0, [ebx+0x20]          ; aligned 16-byte read
  movdqu [0x9000], xmm0
  movdqu xmm1, [ebx+0x33]          ; misaligned 16-byte read
  movdqu [0x9010], xmm1
  movdqu [ebx+0x60], xmm0          ; aligned 16-byte write
  movdqu xmm2, [ebx+0x1008]        ; 16 bytes from the byte-split window
  movdqu [0x9020], xmm2
  hlt
)"),
                    test::kMainRam, EntryMode::Protected);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  // Aligned split: each piece the largest naturally aligned one that fits.
  const std::vector<Access> want = {
      {false, 0, 0x20, 8, reply(0x20, 8)}, {false, 0, 0x28, 8, reply(0x28, 8)},
      {false, 0, 0x33, 1, reply(0x33, 1)}, {false, 0, 0x34, 4, reply(0x34, 4)}, {false, 0, 0x38, 8, reply(0x38, 8)},
      {false, 0, 0x40, 2, reply(0x40, 2)}, {false, 0, 0x42, 1, reply(0x42, 1)},
      {true, 0, 0x60, 8, reply(0x20, 8)},  {true, 0, 0x68, 8, reply(0x28, 8)},
  };
  EXPECT_EQ(aligned.accesses, want);
  std::vector<Access> wantBytes;
  for (unsigned i = 0; i < 16; ++i) wantBytes.push_back({false, 0, 8 + i, 1, reply(8 + i, 1)});
  EXPECT_EQ(bytes.accesses, wantBytes);
  EXPECT_EQ(ramQword(m, 0x9000), reply(0x20, 8));
  EXPECT_EQ(ramQword(m, 0x9008), reply(0x28, 8));
  EXPECT_EQ(ramQword(m, 0x9010), reply(0x33, 8));
  EXPECT_EQ(ramQword(m, 0x9018), reply(0x3b, 8));
  EXPECT_EQ(ramQword(m, 0x9020), reply(0x8, 8));
  EXPECT_EQ(ramQword(m, 0x9028), reply(0x10, 8));
}

TEST(MmioSplit, AnAccessStraddlingRamAndMmioBringsTheDeviceOnlyItsPart) {
  Machine m(machine());
  Recorder after, before;
  m.bus().mapMmio(kRamEnd, 0x1000, &after);
  m.bus().mapMmio(kBelowRam, 0x1000, &before, MmioSplit::kBytes);
  ASSERT_TRUE(m.memory().write(kRamEnd - 8, std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}.data(), 8));
  ASSERT_TRUE(m.memory().write(0x100000 - 0, std::vector<uint8_t>{0xa0, 0xa1}.data(), 2));
  test::loadAndBoot(m, assemble(R"(bits 64
org 0x200000
  mov rbx, 0x1100000
  mov eax, [rbx-2]                 ; RAM 2 bytes, then MMIO 2 bytes
  mov rsi, 0x1122334455667788
  mov [rbx-3], rsi                 ; RAM 3 bytes, then MMIO 5 bytes
  mov ecx, [0xffffd]               ; MMIO (byte split) 3 bytes, then RAM 1 byte
  mov dword [0xffffe], 0xccddeeff  ; MMIO 2 bytes (whole), then RAM 2 bytes
  hlt
)"),
                    0x200000, EntryMode::Long);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  EXPECT_EQ(after.accesses, (std::vector<Access>{{false, 0, 0, 2, reply(0, 2)},
                                                  {true, 0, 0, 4, 0x22334455},
                                                  {true, 0, 4, 1, 0x11}}));
  EXPECT_EQ(before.accesses, (std::vector<Access>{{false, 0, 0xffd, 1, reply(0xffd, 1)},
                                                   {false, 0, 0xffe, 1, reply(0xffe, 1)},
                                                   {false, 0, 0xfff, 1, reply(0xfff, 1)},
                                                   {true, 0, 0xffe, 2, 0xeeff}}));
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rax"], 0x0807u | (reply(0, 2) << 16));
  EXPECT_EQ(o.cpus[0].registers["rcx"], reply(0xffd, 3) | 0xa0000000u);
  uint64_t ram = 0;
  ASSERT_TRUE(m.memory().read(kRamEnd - 8, &ram, 8));
  EXPECT_EQ(ram >> 40, 0x667788u);  // the RAM part of the 8-byte write
  uint16_t low = 0;
  ASSERT_TRUE(m.memory().read(0x100000, &low, 2));
  EXPECT_EQ(low, 0xccddu);
}

TEST(MmioSplit, AnAccessRunningPastAWindowsEndIsSplitThere) {
  Machine m(machine());
  Recorder a, b;
  m.bus().mapMmio(0xc0000, 0x10, &a);                      // kAligned
  m.bus().mapMmio(0xc0010, 0x10, &b, MmioSplit::kBytes);   // right after it
  test::loadAndBoot(m, assemble(R"(bits 32
org 0x100000
  mov eax, [0xc000e]               ; 2 bytes in a, 2 in b (each part whole)
  mov ecx, [0xc001f]               ; 1 byte in b, 3 claimed by nobody
  mov dword [0xc000d], 0x44332211  ; 3 bytes in a (split), 1 in b
  hlt
)"),
                    test::kMainRam, EntryMode::Protected);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  EXPECT_EQ(a.accesses, (std::vector<Access>{{false, 0, 0xe, 2, reply(0xe, 2)},
                                              {true, 0, 0xd, 1, 0x11},
                                              {true, 0, 0xe, 2, 0x3322}}));
  EXPECT_EQ(b.accesses, (std::vector<Access>{{false, 0, 0, 2, reply(0, 2)},  // a 2-byte part comes whole
                                              {false, 0, 0xf, 1, reply(0xf, 1)},
                                              {true, 0, 0, 1, 0x44}}));
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rax"], reply(0xe, 2) | (reply(0, 1) << 16) | (reply(1, 1) << 24));
  EXPECT_EQ(o.cpus[0].registers["rcx"], reply(0xf, 1) | 0xffffff00u);
  ASSERT_EQ(m.bus().unclaimed().size(), 1u);
  EXPECT_EQ(m.bus().unclaimed()[0].address, 0xc0020u);
  EXPECT_EQ(m.bus().unclaimed()[0].size, 3u);
}

}  // namespace
}  // namespace dlsim
