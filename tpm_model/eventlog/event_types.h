// Event-log event types (TCG_PCR_EVENT / TCG_PCR_EVENT2 eventType) by name:
// the PC Client EV_* types, the Intel TXT D-RTM types (0x400 + n) and the
// Linux Secure Launch types. Used to render logs and to name types on the
// command line.
// Facts: TCG PC Client Platform Firmware Profile (as listed by tpm2-tools
// efi_event.h, canonical/tcglog-parser), TXT types as in tboot / Intel
// ISecL / converged-security-suite, SLAUNCH types from TrenchBoot Linux
// include/linux/slaunch.h (spec/intel-txt.md §7, spec/tpm.md §7).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace dlsim::tpm::evlog {

namespace ev {
inline constexpr uint32_t kPrebootCert = 0x0;
inline constexpr uint32_t kPostCode = 0x1;
inline constexpr uint32_t kUnused = 0x2;
inline constexpr uint32_t kNoAction = 0x3;
inline constexpr uint32_t kSeparator = 0x4;
inline constexpr uint32_t kAction = 0x5;
inline constexpr uint32_t kEventTag = 0x6;
inline constexpr uint32_t kSCrtmContents = 0x7;
inline constexpr uint32_t kSCrtmVersion = 0x8;
inline constexpr uint32_t kCpuMicrocode = 0x9;
inline constexpr uint32_t kPlatformConfigFlags = 0xA;
inline constexpr uint32_t kTableOfDevices = 0xB;
inline constexpr uint32_t kCompactHash = 0xC;
inline constexpr uint32_t kIpl = 0xD;
inline constexpr uint32_t kIplPartitionData = 0xE;
inline constexpr uint32_t kNonhostCode = 0xF;
inline constexpr uint32_t kNonhostConfig = 0x10;
inline constexpr uint32_t kNonhostInfo = 0x11;
inline constexpr uint32_t kOmitBootDeviceEvents = 0x12;
inline constexpr uint32_t kEfiEventBase = 0x80000000;

// Intel TXT D-RTM events (logged by SINIT and the MLE).
inline constexpr uint32_t kTxtBase = 0x400;
inline constexpr uint32_t kTxtPcrMapping = 0x401;
inline constexpr uint32_t kTxtHashStart = 0x402;
inline constexpr uint32_t kTxtCombinedHash = 0x403;
inline constexpr uint32_t kTxtMleHash = 0x404;
inline constexpr uint32_t kTxtBiosAcRegData = 0x40A;
inline constexpr uint32_t kTxtCpuScrtmStat = 0x40B;
inline constexpr uint32_t kTxtLcpControlHash = 0x40C;
inline constexpr uint32_t kTxtElementsHash = 0x40D;
inline constexpr uint32_t kTxtStmHash = 0x40E;
inline constexpr uint32_t kTxtOsSinitDataCapHash = 0x40F;
inline constexpr uint32_t kTxtSinitPubkeyHash = 0x410;
inline constexpr uint32_t kTxtLcpHash = 0x411;
inline constexpr uint32_t kTxtLcpDetailsHash = 0x412;
inline constexpr uint32_t kTxtLcpAuthoritiesHash = 0x413;
inline constexpr uint32_t kTxtNvInfoHash = 0x414;
inline constexpr uint32_t kTxtColdBootBiosHash = 0x415;
inline constexpr uint32_t kTxtKmHash = 0x416;
inline constexpr uint32_t kTxtBpmHash = 0x417;
inline constexpr uint32_t kTxtKmInfoHash = 0x418;
inline constexpr uint32_t kTxtBpmInfoHash = 0x419;
inline constexpr uint32_t kTxtBootPolHash = 0x41A;
inline constexpr uint32_t kTxtRandomValue = 0x4FE;
inline constexpr uint32_t kTxtCapValue = 0x4FF;
// tboot's own measurements (policy, modules).
inline constexpr uint32_t kTboot = 0x501;
// Linux Secure Launch (also used by the AMD secure-kernel-loader for its
// measurements); START/END are markers that are not extended.
inline constexpr uint32_t kSlaunch = 0x502;
inline constexpr uint32_t kSlaunchStart = 0x503;
inline constexpr uint32_t kSlaunchEnd = 0x504;
}  // namespace ev

// "EV_SEPARATOR", "EV_EFI_ACTION", "TXT_EVTYPE_MLE_HASH", "SLAUNCH_START";
// nullopt for a number without a name.
std::optional<std::string> eventTypeName(uint32_t type);
// The name, or "0x…" for an unnamed number.
std::string eventTypeLabel(uint32_t type);
// Inverse of eventTypeName; also accepts the name without its "EV_" /
// "TXT_EVTYPE_" prefix (case-insensitive) and numbers ("0x404", "1028").
std::optional<uint32_t> eventTypeFromName(const std::string& name);

}  // namespace dlsim::tpm::evlog
