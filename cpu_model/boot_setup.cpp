// Puts the boot CPU into the state a loader asked for (sim/boot_state.h).
// The segment registers are loaded with their hidden parts directly, so the
// CPU runs whatever the guest later stores at `scratchBase`. For guests that
// reload segment registers before their own LGDT (Linux's boot protocol
// asks for a GDT with 0x10/0x18), and for long mode's page tables, the
// platform writes at `scratchBase` (scenario machine.boot_gdt; the machine
// reserves the range in the default e820 map, see bootScratchEnd):
//   scratchBase + 0x00  GDT: 0x10 flat 32-bit code, 0x18 flat data,
//                       0x20 64-bit code (0x10/0x18 match Linux's
//                       __BOOT_CS/__BOOT_DS of the 32-bit boot protocol)
//   next 4 KiB page     long mode only: PML4, PDPT and 4 page directories
//                       identity-mapping the first 4 GiB with 2 MiB pages
#include <unicorn/unicorn.h>

#include "cpu_model/boot_scratch.h"
#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint64_t kGdt[] = {
    0,
    0,
    // Marked accessed, as the CPU marks them when it loads them.
    0x00cf9b000000ffffull,  // 0x10: code, 32-bit, flat
    0x00cf93000000ffffull,  // 0x18: data, flat
    0x00af9b000000ffffull,  // 0x20: code, 64-bit
};

uint64_t bootPageTables(uint64_t scratchBase) { return (scratchBase + sizeof kGdt + 0xfff) & ~0xfffull; }
}  // namespace

void Cpu::applyBootState(const BootState& boot, uint64_t scratchBase) {
  GuestMemory& mem = *platform_.memory;
  state_ = CpuState::Running;
  ArchState a;  // the power-on state: real mode, IDTR = the IVT at 0
  if (boot.mode == EntryMode::Real) {
    a.cs = SegmentState::real(boot.realModeCs, true);
    a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::real(0);
    a.rip = boot.entry;
  } else {
    // The segment registers get their hidden parts directly (the CPU never
    // reads this GDT); it is there for a guest that reloads them.
    if (!mem.write(scratchBase, kGdt, sizeof kGdt))
      throw InputError("machine.boot_gdt " + hex(scratchBase) + ": the boot GDT (" + std::to_string(sizeof kGdt) +
                       " bytes) is not in guest RAM");
    a.gdtr = TableRegister{scratchBase, sizeof kGdt - 1};
    a.cr0 = 0x11;  // ET | PE
    a.cs = SegmentState::flatCode32(0x10);
    if (boot.mode == EntryMode::Long) {
      const uint64_t pml4 = bootPageTables(scratchBase);
      const uint64_t pdpt = pml4 + 0x1000, pd = pml4 + 0x2000;
      if (!mem.contains(pml4, 6 * 0x1000))
        throw InputError("machine.boot_gdt " + hex(scratchBase) + ": the long-mode boot page tables (" + hex(pml4) +
                         "-" + hex(pml4 + 6 * 0x1000 - 1) + ") are not in guest RAM");
      mem.fill(pml4, 0, 0x2000);
      mem.writeValue<uint64_t>(pml4, pdpt | 3);
      for (uint64_t i = 0; i < 4; ++i) mem.writeValue<uint64_t>(pdpt + i * 8, (pd + i * 0x1000) | 3);
      for (uint64_t i = 0; i < 4 * 512; ++i) mem.writeValue<uint64_t>(pd + i * 8, (i << 21) | 0x83);
      a.cr3 = pml4;
      a.cr4 = 1u << 5;          // PAE
      a.efer = 1u << 8;         // LME (LMA follows from CR0.PG)
      a.cr0 = 0x80000011;       // PG | ET | PE
      a.cs = SegmentState::code64(0x20);
    }
    a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::flatData32(0x18);
    a.rip = boot.entry;
  }
  for (const auto& [name, value] : boot.registers) {
    bool is32 = false;
    if (!parseRegName(name, &is32)) throw InputError("entry register '" + name + "' is not a register name");
  }
  setArchState(a);
  for (const auto& [name, value] : boot.registers) {
    bool is32 = false;
    auto r = parseRegName(name, &is32);
    setReg(*r, is32 ? (value & 0xffffffffull) : value);
  }
}

uint64_t bootScratchEnd(uint64_t scratchBase) { return bootPageTables(scratchBase) + 6 * 0x1000; }

}  // namespace dlsim
