// Multiboot 1 loader: finds the header, loads the kernel (a.out-kludge
// address fields or ELF), places modules and builds the multiboot_info
// structure the way GRUB hands it over (Multiboot Specification 0.6.96).
#pragma once
#include "sim/loaders/multiboot_common.h"

namespace dlsim {

inline constexpr uint32_t kMultiboot1HeaderMagic = 0x1BADB002;
inline constexpr uint32_t kMultiboot1BootMagic = 0x2BADB002;

// Entry: protected mode at the entry address, eax = 0x2BADB002, ebx = info.
LoadedImage loadMultiboot1(GuestMemory& mem, const MultibootRequest& req);

}  // namespace dlsim
