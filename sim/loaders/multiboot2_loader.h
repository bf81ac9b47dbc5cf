// Multiboot2 loader: finds the header, honours its tags (address, entry
// address, information request, ...), loads the kernel (address tag or ELF),
// places modules and builds the boot information tags the way GRUB does on a
// BIOS machine (Multiboot2 Specification 2.0).
#pragma once
#include "sim/loaders/multiboot_common.h"

namespace dlsim {

inline constexpr uint32_t kMultiboot2HeaderMagic = 0xE85250D6;
inline constexpr uint32_t kMultiboot2BootMagic = 0x36D76289;

// Entry: protected mode at the entry address, eax = 0x36D76289, ebx = info.
// The information tags provided: 1 cmdline, 2 boot loader name, 3 module,
// 4 basic meminfo, 6 mmap, and for an ELF kernel with sections 9 ELF
// symbols (sim/loaders/elf_sections.h); a required information request for
// any type but 1-4 and 6 is rejected naming it.
LoadedImage loadMultiboot2(GuestMemory& mem, const MultibootRequest& req);

}  // namespace dlsim
