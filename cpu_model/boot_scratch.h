// The guest-physical range the platform writes at boot for a protected or
// long-mode entry (cpu_model/boot_setup.cpp): from `base` (scenario
// machine.boot_gdt) the boot GDT, then in the next 4 KiB pages the long-mode
// page tables. The machine keeps it out of the RAM it gives the guest (a
// reserved e820 entry) and out of the loaders' way.
#pragma once
#include <cstdint>

namespace dlsim {

// The end (exclusive) of the range starting at `base`.
uint64_t bootScratchEnd(uint64_t base);

}  // namespace dlsim
