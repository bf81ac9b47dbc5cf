// The bus as guests reach it: each access arrives at a device once, at the
// address and in the size its instruction used; windows opened, closed and
// mapped while the machine runs are seen by every CPU and engine; the
// chipset range reads all ones where no device answers (no TPM).
#include <gtest/gtest.h>

#include <vector>

#include "sim/machine/machine.h"
#include "sim/tests/machine/recording_device.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

using test::assemble;

MachineConfig smallMachine(int cpus = 1) { return test::smallMachine(cpus, 0x1000000, 1000000); }

using test::Access;
using test::Recorder;
using test::reply;

constexpr uint64_t kRecorderBase = 0xfed50000;

void boot(Machine& m, const std::vector<uint8_t>& code, EntryMode mode) {
  test::loadAndBoot(m, code, test::kMainRam, mode);
}

TEST(MmioAccess, ProtectedModeAccessesArriveOnceInTheirOwnSize) {
  Machine m(smallMachine());
  Recorder r;
  m.bus().mapMmio(kRecorderBase, 0x1000, &r);
  boot(m, assemble(R"(bits 32
org 0x100000
  mov ebx, 0xfed50000
  mov eax, [ebx+1]                 ; misaligned 4-byte read
  mov cx, [ebx+6]                  ; aligned 2-byte read
  mov dx, [ebx+9]                  ; misaligned 2-byte read
  mov esi, [ebx+0x10]              ; aligned 4-byte read
  mov dword [ebx+0x23], 0x11223344 ; misaligned 4-byte write
  mov word [ebx+0x31], 0x5566      ; misaligned 2-byte write
  mov byte [ebx+0x40], 0x77
  hlt
)"),
       EntryMode::Protected);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  const std::vector<Access> want = {
      {false, 0, 0x1, 4, reply(0x1, 4)},  {false, 0, 0x6, 2, reply(0x6, 2)},  {false, 0, 0x9, 2, reply(0x9, 2)},
      {false, 0, 0x10, 4, reply(0x10, 4)}, {true, 0, 0x23, 4, 0x11223344},      {true, 0, 0x31, 2, 0x5566},
      {true, 0, 0x40, 1, 0x77},
  };
  EXPECT_EQ(r.accesses, want);
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rax"], reply(0x1, 4));
  EXPECT_EQ(o.cpus[0].registers["rcx"] & 0xffff, reply(0x6, 2));
  EXPECT_EQ(o.cpus[0].registers["rdx"] & 0xffff, reply(0x9, 2));
  EXPECT_EQ(o.cpus[0].registers["rsi"], reply(0x10, 4));
}

TEST(MmioAccess, LongModeAccessesArriveOnceInTheirOwnSize) {
  Machine m(smallMachine());
  Recorder r;
  m.bus().mapMmio(kRecorderBase, 0x1000, &r);
  boot(m, assemble(R"(bits 64
org 0x100000
  mov rbx, 0xfed50000
  mov rax, [rbx+8]            ; aligned 8-byte read
  mov rcx, [rbx+0x13]         ; misaligned 8-byte read
  mov edx, [rbx+0x21]         ; misaligned 4-byte read
  mov r8w, [rbx+0x2f]         ; 2-byte read across a dword boundary
  mov rsi, 0x1122334455667788
  mov [rbx+0x40], rsi         ; aligned 8-byte write
  mov [rbx+0x4b], rsi         ; misaligned 8-byte write
  mov [rbx+0x55], esi         ; misaligned 4-byte write
  or dword [rbx+0x60], 0x40000 ; read-modify-write
  mov r9d, [rbx+0x70]         ; one address, two sizes, one block
  mov r10, [rbx+0x70]
  hlt
)"),
       EntryMode::Long);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  const std::vector<Access> want = {
      {false, 0, 0x8, 8, reply(0x8, 8)},
      {false, 0, 0x13, 8, reply(0x13, 8)},
      {false, 0, 0x21, 4, reply(0x21, 4)},
      {false, 0, 0x2f, 2, reply(0x2f, 2)},
      {true, 0, 0x40, 8, 0x1122334455667788},
      {true, 0, 0x4b, 8, 0x1122334455667788},
      {true, 0, 0x55, 4, 0x55667788},
      {false, 0, 0x60, 4, reply(0x60, 4)},
      {true, 0, 0x60, 4, reply(0x60, 4) | 0x40000},
      {false, 0, 0x70, 4, reply(0x70, 4)},
      {false, 0, 0x70, 8, reply(0x70, 8)},
  };
  EXPECT_EQ(r.accesses, want);
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rax"], reply(0x8, 8));
  EXPECT_EQ(o.cpus[0].registers["rcx"], reply(0x13, 8));
  EXPECT_EQ(o.cpus[0].registers["rdx"], reply(0x21, 4));
  EXPECT_EQ(o.cpus[0].registers["r8"] & 0xffff, reply(0x2f, 2));
  EXPECT_EQ(o.cpus[0].registers["r9"], reply(0x70, 4));
  EXPECT_EQ(o.cpus[0].registers["r10"], reply(0x70, 8));
}

TEST(MmioAccess, WithoutATpmItsWindowReadsAllOnesAndDropsWrites) {
  Machine m(smallMachine());
  boot(m, assemble(R"(bits 32
org 0x100000
  mov ebx, 0xfed40000
  mov byte [ebx], 0x02         ; TPM_ACCESS_0: requestUse
  mov al, [ebx]
  mov ecx, [ebx+0xf00]         ; TPM_DID_VID_0
  mov edx, [ebx+0x4f02]        ; misaligned, the last locality
  hlt
)"),
       EntryMode::Protected);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rax"] & 0xff, 0xffu);
  EXPECT_EQ(o.cpus[0].registers["rcx"], 0xffffffffu);
  EXPECT_EQ(o.cpus[0].registers["rdx"], 0xffffffffu);
  ASSERT_EQ(m.bus().unclaimed().size(), 4u);
  EXPECT_TRUE(m.bus().unclaimed()[0].write);
  EXPECT_EQ(m.bus().unclaimed()[0].address, 0xfed40000u);
  EXPECT_EQ(m.bus().unclaimed()[3].address, 0xfed44f02u);
  EXPECT_EQ(m.bus().unclaimed()[3].size, 4u);
}

// Port 0xe0 maps (1), unmaps (2), disables (3) and enables (4) a window.
class WindowSwitch : public Device {
 public:
  WindowSwitch(Bus& bus, Device& dev, uint64_t base) : bus_(bus), dev_(dev), base_(base) {}
  std::string name() const override { return "window-switch"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return 0; }
  void write(const AccessContext&, uint64_t, unsigned, uint64_t v) override {
    if (v == 1) bus_.mapMmio(base_, 0x1000, &dev_);
    if (v == 2) bus_.unmapMmio(base_);
    if (v == 3) bus_.setMmioEnabled(base_, false);
    if (v == 4) bus_.setMmioEnabled(base_, true);
  }

 private:
  Bus& bus_;
  Device& dev_;
  uint64_t base_;
};

TEST(MmioAccess, AWindowOpenedMidRunIsSeenByEveryCpuAndEngine) {
  Machine m(smallMachine(2));
  Recorder r;
  WindowSwitch sw(m.bus(), r, 0xc0000);  // outside the chipset range: the engines map it
  m.bus().mapPorts(0xe0, 1, &sw);
  // The AP (real mode, its 32-bit engine) starts at 0x8000 once the BSP
  // (long mode, its 64-bit engine) has mapped the window.
  std::vector<uint8_t> ap = assemble(R"(bits 16
org 0x8000
  xor ax, ax
  mov ds, ax
  mov ax, 0xc000
  mov es, ax
  mov eax, [es:8]
  mov [0x9004], eax
  mov al, 3
  out 0xe0, al                 ; close the window
  mov eax, [es:8]
  mov [0x9008], eax
  mov dword [0x9000], 1
  cli
  hlt
)");
  ASSERT_TRUE(m.memory().write(0x8000, ap.data(), ap.size()));
  boot(m, assemble(R"(bits 64
org 0x100000
  mov al, 1
  out 0xe0, al                 ; map the window
  mov r12d, [0xc0000]
  mov rbx, 0xfee00000
  mov dword [rbx+0x300], 0x000c4500   ; INIT to all but self
  mov dword [rbx+0x300], 0x000c4608   ; SIPI, vector 8: 0x8000
.wait:
  pause
  cmp dword [0x9000], 1
  jne .wait
  mov r13d, [0xc0004]          ; closed by the AP: all ones
  mov al, 4
  out 0xe0, al                 ; open it again
  mov r14d, [0xc000c]
  hlt
)"),
       EntryMode::Long);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  const std::vector<Access> want = {
      {false, 0, 0x0, 4, reply(0x0, 4)}, {false, 1, 0x8, 4, reply(0x8, 4)}, {false, 0, 0xc, 4, reply(0xc, 4)}};
  EXPECT_EQ(r.accesses, want);
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["r12"], reply(0x0, 4));
  EXPECT_EQ(o.cpus[0].registers["r13"], 0xffffffffu);
  EXPECT_EQ(o.cpus[0].registers["r14"], reply(0xc, 4));
  uint32_t seen = 0, closed = 0;
  ASSERT_TRUE(m.memory().read(0x9004, &seen, 4));
  ASSERT_TRUE(m.memory().read(0x9008, &closed, 4));
  EXPECT_EQ(seen, reply(0x8, 4));
  EXPECT_EQ(closed, 0xffffffffu);
}

TEST(MmioAccess, AnUnmappedWindowOutsideTheChipsetRangeIsUnmappedAgain) {
  Machine m(smallMachine());
  Recorder r;
  WindowSwitch sw(m.bus(), r, 0xc0000);
  m.bus().mapPorts(0xe0, 1, &sw);
  boot(m, assemble(R"(bits 32
org 0x100000
  mov al, 1
  out 0xe0, al
  mov eax, [0xc0000]
  mov al, 2
  out 0xe0, al
  mov ebx, [0xc0000]           ; nothing there any more: the run stops here
  hlt
)"),
       EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kUnmappedAccess) << s.detail;
  EXPECT_EQ(r.accesses, (std::vector<Access>{{false, 0, 0x0, 4, reply(0x0, 4)}}));
}

TEST(MmioAccess, AnEngineCreatedLaterSeesWindowsMappedBefore) {
  Machine m(smallMachine());
  Recorder r;
  WindowSwitch sw(m.bus(), r, 0xc0000);
  m.bus().mapPorts(0xe0, 1, &sw);
  // Protected mode (the 32-bit engine) maps the window and reads it, then
  // enters long mode: the CPU's 64-bit engine is created only now.
  boot(m, assemble(R"(bits 32
org 0x100000
  mov al, 1
  out 0xe0, al
  mov esi, [0xc0000]
  mov dword [0x70000], 0x71003   ; PML4[0] -> PDPT
  mov dword [0x70004], 0
  mov dword [0x71000], 0x72003   ; PDPT[0] -> PD
  mov dword [0x71004], 0
  mov dword [0x72000], 0x83      ; PD[0]: 0..2 MiB, present, writable, 2 MiB page
  mov dword [0x72004], 0
  mov eax, cr4
  or eax, 1 << 5                 ; PAE
  mov cr4, eax
  mov eax, 0x70000
  mov cr3, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8                 ; EFER.LME
  wrmsr
  lgdt [gdtr]
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
  jmp 0x18:long64
bits 64
long64:
  mov edi, [0xc0004]
  hlt
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00209a0000000000          ; 64-bit code
gdtr:
  dw gdtr - gdt - 1
  dd gdt
)"),
       EntryMode::Protected);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].mode, "long");
  EXPECT_EQ(o.cpus[0].registers["rsi"], reply(0x0, 4));
  EXPECT_EQ(o.cpus[0].registers["rdi"], reply(0x4, 4));
  EXPECT_EQ(r.accesses.size(), 2u);
}

TEST(MmioAccess, ASnapshotRestoresTheWindowsAsTheyWere) {
  Machine m(smallMachine());
  Recorder r;
  m.bus().mapMmio(0xc0000, 0x1000, &r);
  m.bus().setMmioEnabled(0xc0000, false);
  boot(m, assemble("bits 32\norg 0x100000\n  mov eax, [0xc0000]\n  hlt\n"), EntryMode::Protected);
  auto snap = m.snapshot();
  m.bus().setMmioEnabled(0xc0000, true);
  ASSERT_EQ(m.run().reason, stop_reason::kAllHalted);
  EXPECT_EQ(m.observe().cpus[0].registers["rax"], reply(0, 4));
  m.restore(*snap);
  ASSERT_EQ(m.run().reason, stop_reason::kAllHalted);
  EXPECT_EQ(m.observe().cpus[0].registers["rax"], 0xffffffffu);  // closed, as at the snapshot
  m.bus().unmapMmio(0xc0000);
  m.restore(*snap);
  StopInfo s = m.run();
  ASSERT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;  // mapped again in the engine
  EXPECT_EQ(m.observe().cpus[0].registers["rax"], 0xffffffffu);
  EXPECT_EQ(r.accesses.size(), 1u);
}

// Refuses every DMA write.
class NoDmaWrites : public DmaProtection {
 public:
  std::string name() const override { return "no-writes"; }
  bool allow(uint32_t, uint64_t, uint64_t, bool write) override { return !write; }
};

TEST(MmioAccess, BlockedDmaIsNamedInTheReport) {
  Machine m(smallMachine());
  NoDmaWrites guard;
  m.dma().addProtection(&guard);
  const uint32_t v = 0x12345678;
  EXPECT_EQ(m.dma().write(0x18, 0x2000, &v, 4), DmaResult::kBlocked);
  uint32_t back = 0;
  EXPECT_EQ(m.dma().read(0x18, 0x2000, &back, 4), DmaResult::kDone);
  EXPECT_EQ(back, 0u);
  // The platform's own path is not DMA.
  ASSERT_TRUE(m.memory().write(0x2000, &v, 4));
  // A model's own access names the platform, not a CPU.
  EXPECT_EQ(m.bus().mmioRead(AccessContext::fromPlatform(4), 0xfed40000, 1), 0xffu);
  const std::vector<std::string> events = m.observe().events;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], "the platform: read from unclaimed MMIO address 0xfed40000 (1 bytes)");
  EXPECT_EQ(events[1], "DMA write to 0x2000 (4 bytes) by requester 0x18 blocked by no-writes");
}

}  // namespace
}  // namespace dlsim
