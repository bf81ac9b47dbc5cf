// The TXT configuration register map: offsets (the same in the public space
// at 0xFED30000 and the private space at 0xFED20000, 64 KiB each) and the
// status bits, from shared/spec/intel-txt.md §2, which cites tboot's
// include/txt/config_regs.h, coreboot's txt_register.h and chipsec's
// cfg/8086/txt.xml (MLE DG appendix B). Registers sit in 8-byte slots.
#pragma once
#include <cstdint>

namespace dlsim::txt::reg {

inline constexpr uint64_t kPrivateBase = 0xFED20000;
inline constexpr uint64_t kPublicBase = 0xFED30000;
inline constexpr uint64_t kSpaceSize = 0x10000;

inline constexpr uint32_t kSts = 0x000;
inline constexpr uint32_t kEsts = 0x008;
inline constexpr uint32_t kThreadsExists = 0x010;
inline constexpr uint32_t kThreadsJoin = 0x020;
inline constexpr uint32_t kErrorCode = 0x030;
inline constexpr uint32_t kCmdReset = 0x038;
inline constexpr uint32_t kCmdOpenPrivate = 0x040;
inline constexpr uint32_t kCmdClosePrivate = 0x048;
inline constexpr uint32_t kSpad = 0x0A0;  // BOOTSTATUS
inline constexpr uint32_t kVerFsbif = 0x100;
inline constexpr uint32_t kDidvid = 0x110;
inline constexpr uint32_t kVerQpiif = 0x200;  // VER.EMIF on newer guides
inline constexpr uint32_t kCmdLockMemConfig = 0x210;
inline constexpr uint32_t kCmdUnlockMemConfig = 0x218;
inline constexpr uint32_t kCmdUnlockMemory = 0x220;
inline constexpr uint32_t kNodmaBase = 0x260;
inline constexpr uint32_t kNodmaSize = 0x268;
inline constexpr uint32_t kSinitBase = 0x270;
inline constexpr uint32_t kSinitSize = 0x278;
inline constexpr uint32_t kCmdLockPmrc = 0x280;
inline constexpr uint32_t kCmdUnlockPmrc = 0x288;
inline constexpr uint32_t kMleJoin = 0x290;
inline constexpr uint32_t kHeapBase = 0x300;
inline constexpr uint32_t kHeapSize = 0x308;
inline constexpr uint32_t kMsegBase = 0x310;
inline constexpr uint32_t kMsegSize = 0x318;
inline constexpr uint32_t kAcmStatus = 0x328;
inline constexpr uint32_t kDpr = 0x330;
inline constexpr uint32_t kAcmPolicyStatus = 0x378;
inline constexpr uint32_t kCmdOpenLocality1 = 0x380;
inline constexpr uint32_t kCmdCloseLocality1 = 0x388;
inline constexpr uint32_t kCmdOpenLocality2 = 0x390;
inline constexpr uint32_t kCmdCloseLocality2 = 0x398;
inline constexpr uint32_t kCmdOpenLocality3 = 0x3A0;
inline constexpr uint32_t kCmdCloseLocality3 = 0x3A8;
inline constexpr uint32_t kPublicKey = 0x400;  // 32 bytes: 0x400-0x41F
inline constexpr uint32_t kVerFtif = 0x800;
inline constexpr uint32_t kCmdSecrets = 0x8E0;
inline constexpr uint32_t kCmdNoSecrets = 0x8E8;
inline constexpr uint32_t kE2sts = 0x8F0;

// TXT.STS bits (chipsec txt.xml).
namespace sts {
inline constexpr uint64_t kSenterDone = 1ull << 0;
inline constexpr uint64_t kSexitDone = 1ull << 1;
inline constexpr uint64_t kMemUnlock = 1ull << 4;
inline constexpr uint64_t kMemBaseLock = 1ull << 5;
inline constexpr uint64_t kMemConfigLock = 1ull << 6;
inline constexpr uint64_t kPrivateOpen = 1ull << 7;
inline constexpr uint64_t kMemConfigOk = 1ull << 11;
inline constexpr uint64_t kPmrcLock = 1ull << 12;
inline constexpr uint64_t kLocality3Open = 1ull << 14;
inline constexpr uint64_t kLocality1Open = 1ull << 15;
inline constexpr uint64_t kLocality2Open = 1ull << 16;
inline constexpr uint64_t kSeqInProgress = 1ull << 17;
}  // namespace sts

// TXT.ESTS bits.
namespace ests {
inline constexpr uint64_t kTxtReset = 1ull << 0;  // cleared only by a power cycle
inline constexpr uint64_t kRogue = 1ull << 1;
inline constexpr uint64_t kMemoryAttack = 1ull << 2;
inline constexpr uint64_t kAliasFault = 1ull << 5;
inline constexpr uint64_t kWakeError = 1ull << 6;
inline constexpr uint64_t kDefined = kTxtReset | kRogue | kMemoryAttack | kAliasFault | kWakeError;
}  // namespace ests

// TXT.E2STS bits.
namespace e2sts {
inline constexpr uint64_t kSleepEntryError = 1ull << 0;
inline constexpr uint64_t kSecrets = 1ull << 1;
inline constexpr uint64_t kBlockMem = 1ull << 2;
inline constexpr uint64_t kReset = 1ull << 3;
}  // namespace e2sts

// TXT.DPR fields: lock [0], size in MiB [11:4], top [31:20].
namespace dpr {
inline constexpr uint64_t kLock = 1ull << 0;
inline uint64_t sizeMiB(uint64_t v) { return (v >> 4) & 0xFF; }
inline uint64_t top(uint64_t v) { return v & 0xFFF00000ull; }
}  // namespace dpr

}  // namespace dlsim::txt::reg
