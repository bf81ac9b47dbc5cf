// VMCS field encodings (SDM vol. 3C 24.11.2 and vol. 3D appendix B): the
// structure of an encoding (width in bits 14:13, type in 11:10, index in
// 9:1, access type in bit 0; bits 31:15 and 12 reserved) and the fields a
// processor of the modelled generation has, by name.
#pragma once
#include <cstdint>

namespace dlsim::txt {

enum class VmcsWidth { k16 = 0, k64 = 1, k32 = 2, kNatural = 3 };
enum class VmcsType { kControl = 0, kReadOnly = 1, kGuest = 2, kHost = 3 };

inline VmcsWidth vmcsWidth(uint32_t encoding) { return static_cast<VmcsWidth>(encoding >> 13 & 3); }
inline VmcsType vmcsType(uint32_t encoding) { return static_cast<VmcsType>(encoding >> 10 & 3); }
inline bool vmcsHighAccess(uint32_t encoding) { return encoding & 1; }
// Reserved bits clear, and the high access type only on a 64-bit field.
inline bool vmcsWellFormed(uint64_t encoding) {
  if (encoding >> 15 || encoding & (1u << 12)) return false;
  return !(encoding & 1) || vmcsWidth(static_cast<uint32_t>(encoding)) == VmcsWidth::k64;
}

// The field's name when the modelled processor has it (the "full"
// encoding; for a 64-bit field's high half, the full one's), else nullptr.
const char* vmcsFieldName(uint32_t encoding);

namespace vmcs {
// 16-bit guest and host selectors.
inline constexpr uint32_t kGuestEsSelector = 0x0800, kGuestCsSelector = 0x0802, kGuestSsSelector = 0x0804,
                          kGuestDsSelector = 0x0806, kGuestFsSelector = 0x0808, kGuestGsSelector = 0x080A,
                          kGuestLdtrSelector = 0x080C, kGuestTrSelector = 0x080E;
inline constexpr uint32_t kHostEsSelector = 0x0C00, kHostCsSelector = 0x0C02, kHostSsSelector = 0x0C04,
                          kHostDsSelector = 0x0C06, kHostFsSelector = 0x0C08, kHostGsSelector = 0x0C0A,
                          kHostTrSelector = 0x0C0C;
// 64-bit.
inline constexpr uint32_t kIoBitmapA = 0x2000, kIoBitmapB = 0x2002, kMsrBitmap = 0x2004, kExitMsrStoreAddr = 0x2006,
                          kExitMsrLoadAddr = 0x2008, kEntryMsrLoadAddr = 0x200A, kTscOffset = 0x2010;
inline constexpr uint32_t kVmcsLinkPointer = 0x2800, kGuestDebugctl = 0x2802, kGuestPat = 0x2804,
                          kGuestEfer = 0x2806;
inline constexpr uint32_t kHostPat = 0x2C00, kHostEfer = 0x2C02, kHostPerfGlobalCtrl = 0x2C04;
// 32-bit control.
inline constexpr uint32_t kPinControls = 0x4000, kProcControls = 0x4002, kExceptionBitmap = 0x4004,
                          kPfErrorMask = 0x4006, kPfErrorMatch = 0x4008, kCr3TargetCount = 0x400A,
                          kExitControls = 0x400C, kExitMsrStoreCount = 0x400E, kExitMsrLoadCount = 0x4010,
                          kEntryControls = 0x4012, kEntryMsrLoadCount = 0x4014, kEntryInterruptionInfo = 0x4016,
                          kEntryExceptionErrorCode = 0x4018, kEntryInstructionLength = 0x401A,
                          kTprThreshold = 0x401C, kProcControls2 = 0x401E;
// 32-bit read-only (VM-exit information).
inline constexpr uint32_t kInstructionError = 0x4400, kExitReason = 0x4402, kExitInterruptionInfo = 0x4404,
                          kExitInterruptionErrorCode = 0x4406, kIdtVectoringInfo = 0x4408,
                          kIdtVectoringErrorCode = 0x440A, kExitInstructionLength = 0x440C,
                          kExitInstructionInfo = 0x440E;
// 32-bit guest.
inline constexpr uint32_t kGuestEsLimit = 0x4800, kGuestGdtrLimit = 0x4810, kGuestIdtrLimit = 0x4812,
                          kGuestEsAccessRights = 0x4814, kGuestInterruptibility = 0x4824,
                          kGuestActivityState = 0x4826, kGuestSmbase = 0x4828, kGuestSysenterCs = 0x482A,
                          kGuestPreemptionTimer = 0x482E;
inline constexpr uint32_t kHostSysenterCs = 0x4C00;
// Natural-width control and read-only.
inline constexpr uint32_t kCr0GuestHostMask = 0x6000, kCr4GuestHostMask = 0x6002, kCr0ReadShadow = 0x6004,
                          kCr4ReadShadow = 0x6006, kCr3Target0 = 0x6008;
inline constexpr uint32_t kExitQualification = 0x6400, kGuestLinearAddress = 0x640A;
// Natural-width guest.
inline constexpr uint32_t kGuestCr0 = 0x6800, kGuestCr3 = 0x6802, kGuestCr4 = 0x6804, kGuestEsBase = 0x6806,
                          kGuestLdtrBase = 0x6812, kGuestTrBase = 0x6814, kGuestGdtrBase = 0x6816,
                          kGuestIdtrBase = 0x6818, kGuestDr7 = 0x681A, kGuestRsp = 0x681C, kGuestRip = 0x681E,
                          kGuestRflags = 0x6820, kGuestPendingDebug = 0x6822, kGuestSysenterEsp = 0x6824,
                          kGuestSysenterEip = 0x6826;
// Natural-width host.
inline constexpr uint32_t kHostCr0 = 0x6C00, kHostCr3 = 0x6C02, kHostCr4 = 0x6C04, kHostFsBase = 0x6C06,
                          kHostGsBase = 0x6C08, kHostTrBase = 0x6C0A, kHostGdtrBase = 0x6C0C,
                          kHostIdtrBase = 0x6C0E, kHostSysenterEsp = 0x6C10, kHostSysenterEip = 0x6C12,
                          kHostRsp = 0x6C14, kHostRip = 0x6C16;

// The six data/code segments in encoding order (ES, CS, SS, DS, FS, GS):
// their guest selector, limit, access-rights and base fields are this far
// apart from ES's.
inline constexpr uint32_t kSegmentStride = 2;
}  // namespace vmcs

}  // namespace dlsim::txt
