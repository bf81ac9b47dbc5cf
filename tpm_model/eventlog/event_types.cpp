// Table of event-type names (see event_types.h for the sources).
#include "tpm_model/eventlog/event_types.h"

#include <cctype>
#include <cstdlib>

namespace dlsim::tpm::evlog {
namespace {

struct TypeName {
  uint32_t type;
  const char* name;
};

// Ascending by number.
constexpr TypeName kNames[] = {
    {ev::kPrebootCert, "EV_PREBOOT_CERT"},
    {ev::kPostCode, "EV_POST_CODE"},
    {ev::kUnused, "EV_UNUSED"},
    {ev::kNoAction, "EV_NO_ACTION"},
    {ev::kSeparator, "EV_SEPARATOR"},
    {ev::kAction, "EV_ACTION"},
    {ev::kEventTag, "EV_EVENT_TAG"},
    {ev::kSCrtmContents, "EV_S_CRTM_CONTENTS"},
    {ev::kSCrtmVersion, "EV_S_CRTM_VERSION"},
    {ev::kCpuMicrocode, "EV_CPU_MICROCODE"},
    {ev::kPlatformConfigFlags, "EV_PLATFORM_CONFIG_FLAGS"},
    {ev::kTableOfDevices, "EV_TABLE_OF_DEVICES"},
    {ev::kCompactHash, "EV_COMPACT_HASH"},
    {ev::kIpl, "EV_IPL"},
    {ev::kIplPartitionData, "EV_IPL_PARTITION_DATA"},
    {ev::kNonhostCode, "EV_NONHOST_CODE"},
    {ev::kNonhostConfig, "EV_NONHOST_CONFIG"},
    {ev::kNonhostInfo, "EV_NONHOST_INFO"},
    {ev::kOmitBootDeviceEvents, "EV_OMIT_BOOT_DEVICE_EVENTS"},
    {ev::kTxtBase, "TXT_EVTYPE_BASE"},
    {ev::kTxtPcrMapping, "TXT_EVTYPE_PCRMAPPING"},
    {ev::kTxtHashStart, "TXT_EVTYPE_HASH_START"},
    {ev::kTxtCombinedHash, "TXT_EVTYPE_COMBINED_HASH"},
    {ev::kTxtMleHash, "TXT_EVTYPE_MLE_HASH"},
    {ev::kTxtBiosAcRegData, "TXT_EVTYPE_BIOSAC_REG_DATA"},
    {ev::kTxtCpuScrtmStat, "TXT_EVTYPE_CPU_SCRTM_STAT"},
    {ev::kTxtLcpControlHash, "TXT_EVTYPE_LCP_CONTROL_HASH"},
    {ev::kTxtElementsHash, "TXT_EVTYPE_ELEMENTS_HASH"},
    {ev::kTxtStmHash, "TXT_EVTYPE_STM_HASH"},
    {ev::kTxtOsSinitDataCapHash, "TXT_EVTYPE_OSSINITDATA_CAP_HASH"},
    {ev::kTxtSinitPubkeyHash, "TXT_EVTYPE_SINIT_PUBKEY_HASH"},
    {ev::kTxtLcpHash, "TXT_EVTYPE_LCP_HASH"},
    {ev::kTxtLcpDetailsHash, "TXT_EVTYPE_LCP_DETAILS_HASH"},
    {ev::kTxtLcpAuthoritiesHash, "TXT_EVTYPE_LCP_AUTHORITIES_HASH"},
    {ev::kTxtNvInfoHash, "TXT_EVTYPE_NV_INFO_HASH"},
    {ev::kTxtColdBootBiosHash, "TXT_EVTYPE_COLD_BOOT_BIOS_HASH"},
    {ev::kTxtKmHash, "TXT_EVTYPE_KM_HASH"},
    {ev::kTxtBpmHash, "TXT_EVTYPE_BPM_HASH"},
    {ev::kTxtKmInfoHash, "TXT_EVTYPE_KM_INFO_HASH"},
    {ev::kTxtBpmInfoHash, "TXT_EVTYPE_BPM_INFO_HASH"},
    {ev::kTxtBootPolHash, "TXT_EVTYPE_BOOT_POL_HASH"},
    {ev::kTxtRandomValue, "TXT_EVTYPE_RANDOM_VALUE"},
    {ev::kTxtCapValue, "TXT_EVTYPE_CAP_VALUE"},
    {ev::kTboot, "TBOOT_EVTYPE"},
    {ev::kSlaunch, "SLAUNCH"},
    {ev::kSlaunchStart, "SLAUNCH_START"},
    {ev::kSlaunchEnd, "SLAUNCH_END"},
    {ev::kEfiEventBase, "EV_EFI_EVENT_BASE"},
    {0x80000001, "EV_EFI_VARIABLE_DRIVER_CONFIG"},
    {0x80000002, "EV_EFI_VARIABLE_BOOT"},
    {0x80000003, "EV_EFI_BOOT_SERVICES_APPLICATION"},
    {0x80000004, "EV_EFI_BOOT_SERVICES_DRIVER"},
    {0x80000005, "EV_EFI_RUNTIME_SERVICES_DRIVER"},
    {0x80000006, "EV_EFI_GPT_EVENT"},
    {0x80000007, "EV_EFI_ACTION"},
    {0x80000008, "EV_EFI_PLATFORM_FIRMWARE_BLOB"},
    {0x80000009, "EV_EFI_HANDOFF_TABLES"},
    {0x8000000A, "EV_EFI_PLATFORM_FIRMWARE_BLOB2"},
    {0x8000000B, "EV_EFI_HANDOFF_TABLES2"},
    {0x8000000C, "EV_EFI_VARIABLE_BOOT2"},
    {0x80000010, "EV_EFI_HCRTM_EVENT"},
    {0x800000E0, "EV_EFI_VARIABLE_AUTHORITY"},
    {0x800000E1, "EV_EFI_SPDM_FIRMWARE_BLOB"},
    {0x800000E2, "EV_EFI_SPDM_FIRMWARE_CONFIG"},
};

std::string upper(const std::string& s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> eventTypeName(uint32_t type) {
  for (const auto& t : kNames)
    if (t.type == type) return std::string(t.name);
  return std::nullopt;
}

std::string eventTypeLabel(uint32_t type) {
  if (auto n = eventTypeName(type)) return *n;
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    unsigned d = (type >> shift) & 0xF;
    if (d || started || shift == 0) {
      s += digits[d];
      started = true;
    }
  }
  return s;
}

std::optional<uint32_t> eventTypeFromName(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(name.c_str(), &end, 0);
    if (end && *end == '\0' && v <= 0xFFFFFFFFull) return static_cast<uint32_t>(v);
    return std::nullopt;
  }
  const std::string u = upper(name);
  for (const auto& t : kNames) {
    const std::string full = t.name;
    if (u == full || "EV_" + u == full || "TXT_EVTYPE_" + u == full) return t.type;
  }
  return std::nullopt;
}

}  // namespace dlsim::tpm::evlog
