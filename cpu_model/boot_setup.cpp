// Puts the boot CPU into the state a loader asked for (sim/boot_state.h).
// Protected and long mode need a GDT (and long mode page tables) in guest
// RAM; the platform writes them at `scratchBase` (scenario machine.boot_gdt):
//   scratchBase + 0x00  GDT: 0x10 flat 32-bit code, 0x18 flat data,
//                       0x20 64-bit code (0x10/0x18 match Linux's
//                       __BOOT_CS/__BOOT_DS of the 32-bit boot protocol)
//   next 4 KiB page     long mode only: PML4, PDPT and 4 page directories
//                       identity-mapping the first 4 GiB with 2 MiB pages
#include <unicorn/unicorn.h>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint64_t kGdt[] = {
    0,
    0,
    0x00cf9a000000ffffull,  // 0x10: code, 32-bit, flat
    0x00cf92000000ffffull,  // 0x18: data, flat
    0x00af9a000000ffffull,  // 0x20: code, 64-bit
};
}

void Cpu::applyBootState(const BootState& boot, uint64_t scratchBase) {
  GuestMemory& mem = *platform_.memory;
  active_ = engine32_.get();
  state_ = CpuState::Running;
  uc_x86_mmr idtr{0, 0, 0xffff, 0};  // reset value: the real-mode IVT at 0
  uc_reg_write(active_->uc(), UC_X86_REG_IDTR, &idtr);
  if (boot.mode == EntryMode::Real) {
    setReg(Reg::Cr0, 0x10);
    setReg(Reg::Cs, boot.realModeCs);
    for (Reg r : {Reg::Ds, Reg::Es, Reg::Ss, Reg::Fs, Reg::Gs}) setReg(r, 0);
    setReg(Reg::Rip, boot.entry);
  } else {
    if (!mem.write(scratchBase, kGdt, sizeof kGdt))
      throw InputError("machine.boot_gdt " + hex(scratchBase) + ": the boot GDT (" + std::to_string(sizeof kGdt) +
                       " bytes) is not in guest RAM");
    uc_x86_mmr gdtr{0, scratchBase, sizeof kGdt - 1, 0};
    uc_reg_write(active_->uc(), UC_X86_REG_GDTR, &gdtr);
    if (boot.mode == EntryMode::Long) {
      const uint64_t pml4 = (scratchBase + sizeof kGdt + 0xfff) & ~0xfffull;
      const uint64_t pdpt = pml4 + 0x1000, pd = pml4 + 0x2000;
      if (!mem.contains(pml4, 6 * 0x1000))
        throw InputError("machine.boot_gdt " + hex(scratchBase) + ": the long-mode boot page tables (" + hex(pml4) +
                         "-" + hex(pml4 + 6 * 0x1000 - 1) + ") are not in guest RAM");
      mem.fill(pml4, 0, 0x2000);
      mem.writeValue<uint64_t>(pml4, pdpt | 3);
      for (uint64_t i = 0; i < 4; ++i) mem.writeValue<uint64_t>(pdpt + i * 8, (pd + i * 0x1000) | 3);
      for (uint64_t i = 0; i < 4 * 512; ++i) mem.writeValue<uint64_t>(pd + i * 8, (i << 21) | 0x83);
      setReg(Reg::Cr3, pml4);
      setReg(Reg::Cr4, 1u << 5);                  // PAE
      setEngineMsr(0xc0000080, 1u << 8);          // EFER.LME
      setReg(Reg::Cr0, 0x80000011);               // PG | ET | PE -> LMA
      setReg(Reg::Cs, 0x20);
    } else {
      setReg(Reg::Cr0, 0x11);  // ET | PE
      setReg(Reg::Cs, 0x10);
    }
    for (Reg r : {Reg::Ds, Reg::Es, Reg::Ss, Reg::Fs, Reg::Gs}) setReg(r, 0x18);
    syncEngine();
    setReg(Reg::Rip, boot.entry);
  }
  setReg(Reg::Rflags, 2);
  for (const auto& [name, value] : boot.registers) {
    bool is32 = false;
    auto r = parseRegName(name, &is32);
    if (!r) throw InputError("entry register '" + name + "' is not a register name");
    setReg(*r, is32 ? (value & 0xffffffffull) : value);
  }
}

}  // namespace dlsim
