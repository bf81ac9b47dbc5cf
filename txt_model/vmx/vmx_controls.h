// VMX control bits (SDM vol. 3C 24.6-24.8) the model reads, and the
// controls it models: a VM entry with any other bit set (that the capability
// MSRs allow) stops the run as "vmx: unsupported" (vm_entry.cpp).
#pragma once
#include <cstdint>

namespace dlsim::txt::vmx_controls {

inline constexpr uint32_t kPinExternalInterrupt = 1u << 0, kPinNmiExiting = 1u << 3, kPinPreemptionTimer = 1u << 6;
// Bits 1, 2 and 4 are reserved (default 1); NMI exiting is modelled.
inline constexpr uint32_t kPinModelled = (1u << 1) | (1u << 2) | (1u << 4) | kPinNmiExiting;

inline constexpr uint32_t kProcInvlpgExiting = 1u << 9, kProcMwaitExiting = 1u << 10, kProcCr3Load = 1u << 15,
                          kProcCr3Store = 1u << 16, kProcSecondary = 1u << 31;
// Reserved default-1 bits 1, 4-6, 8, 13, 14 and 26; and the four exiting
// controls tboot's mini-guest sets (INVLPG, MWAIT, and CR3 load/store,
// which the non-TRUE capability MSR forces to 1). dlsim accepts them but
// its guests do not execute those instructions (docs/vmx.md).
inline constexpr uint32_t kProcModelled = (1u << 1) | (7u << 4) | (1u << 8) | (3u << 13) | (1u << 26) |
                                          kProcInvlpgExiting | kProcMwaitExiting | kProcCr3Load | kProcCr3Store;

inline constexpr uint32_t kExitSaveDebug = 1u << 2, kExitHostAddressSpaceSize = 1u << 9, kExitAckInterrupt = 1u << 15,
                          kExitSaveEfer = 1u << 20, kExitLoadEfer = 1u << 21, kExitSavePreemptionTimer = 1u << 22;
// Reserved default-1 bits 0-8, 10, 11, 13, 14, 16, 17 (bit 2 is "save debug
// controls"); acknowledge interrupt on exit (only external-interrupt exits
// use it, and there are none), save/load IA32_EFER, conceal VMX from PT (24).
inline constexpr uint32_t kExitModelled = 0x1ffu | (3u << 10) | (3u << 13) | (3u << 16) | kExitAckInterrupt |
                                          kExitSaveEfer | kExitLoadEfer | (1u << 24);

inline constexpr uint32_t kEntryLoadDebug = 1u << 2, kEntryIa32eGuest = 1u << 9, kEntryToSmm = 1u << 10,
                          kEntryDeactivateDualMonitor = 1u << 11, kEntryLoadEfer = 1u << 15;
// Reserved default-1 bits 0-8 and 12 (bit 2 is "load debug controls"),
// load IA32_EFER, conceal VMX from PT (17).
inline constexpr uint32_t kEntryModelled = 0x1ffu | (1u << 12) | kEntryLoadEfer | (1u << 17);

}  // namespace dlsim::txt::vmx_controls
