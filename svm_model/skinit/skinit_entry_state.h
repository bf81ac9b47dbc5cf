// The BSP's state when SKINIT starts the secure loader (APM vol. 2 15.27.6):
// re-initialised as by INIT, then flat 32-bit protected mode with paging off;
// CS 0x08 (code) and SS 0x10 (read/write data), base 0, limit 4 GiB; DS, ES,
// FS and GS stay real-mode segments (selector 0, base 0, limit 0xFFFF) until
// the loader reloads them; every GPR 0 except EAX = SLB base, EDX = the CPUID
// Fn0000_0001 EAX signature, ESP = base + 64 KiB; EFER = 0; EIP = base +
// entry offset. Kept, as the APM says ("caches ... are not affected"): CR0.CD
// and CR0.NW. Not stated in the APM and taken from the INIT state
// (unconfirmed): EFLAGS 0x2, CR2/CR3/CR4 0, DR7 0x400, GDTR and IDTR base 0
// limit 0xFFFF, LDTR and TR selector 0, base 0, limit 0xFFFF.
#pragma once
#include <cstdint>

#include "cpu_model/arch_state.h"

namespace dlsim::svm {

inline constexpr uint16_t kSkinitCodeSelector = 0x08;
inline constexpr uint16_t kSkinitStackSelector = 0x10;

ArchState skinitEntryState(const ArchState& before, uint32_t slbBase, uint16_t entryOffset, uint32_t signature);

}  // namespace dlsim::svm
