// The Secure Launch Resource Table GRUB builds inside the SLB at the SKL's
// bootloader_data offset (linux-secure-launch.md 1; docs/skl.md), in the two
// layouts SKLs read:
//   slrt2025 (Linux v9..v15 / SKL-A / GRUB 2025): u32 tag + u32 size entry
//     headers; DL_INFO 72 B, LOG_INFO 24 B, ENTRY_POLICY 16 + n*56 B,
//     AMD_INFO 56 B, END 8 B.
//   slrt2024 (SKL-S, secure-kernel-loader branch `slrt`): u16 tag + u16 size
//     entry headers; DL_INFO 52 B, LOG_INFO 20 B, ENTRY_POLICY 8 + n*44 B
//     (evt_info[20]), END 4 B; no AMD_INFO (SKL-S defines none and reads the
//     boot parameters from DL_INFO.bl_context.context).
// Both: a 16-byte table header {u32 magic "MTRD", u16 revision 1, u16
// architecture 2 (AMD), u32 size (incl. END), u32 max_size}.
// This is an SLRT *writer* for the AMD hand-off; txt_model/heap has the TXT
// side's reader. A shared codec could live in sim/ (docs/skl.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "svm_model/handoff/field_block.h"
#include "svm_model/slb/skl_image.h"

namespace dlsim::svm {

inline constexpr uint32_t kSlrtMagic = 0x4452544D;
inline constexpr uint16_t kSlrtRevision = 1;
inline constexpr uint16_t kSlrtArchAmd = 2;
inline constexpr uint16_t kSlrtBootloaderGrub = 1;
inline constexpr uint32_t kSlrtTagDlInfo = 1, kSlrtTagLogInfo = 2, kSlrtTagEntryPolicy = 3, kSlrtTagAmdInfo = 5,
                          kSlrtTagEnd = 0xFFFF;
inline constexpr uint32_t kSetupSecureLaunch = 10;  // AMD_INFO's setup_data type

// SLRT policy entity types and flags.
inline constexpr uint16_t kEntitySlrt = 1, kEntityBootParams = 2, kEntitySetupData = 3, kEntityCmdline = 4,
                          kEntityUefiMemmap = 5, kEntityRamdisk = 6, kEntityMultiboot2Info = 7, kEntityUnused = 0xFFFF;
inline constexpr uint16_t kPolicyMeasured = 0x1, kPolicyImplicitSize = 0x2;

// Entry sizes and offsets within the table for one layout (slrt2024/slrt2025).
struct SlrtGeometry {
  uint32_t headerSize = 16;
  uint32_t entryHeaderSize;  // 4 or 8
  uint32_t dlInfoSize;       // 52 or 72
  uint32_t logInfoSize;      // 20 or 24
  uint32_t policyHeaderSize; // 8 or 16
  uint32_t policyEntrySize;  // 44 or 56
  uint32_t evtInfoSize;      // 20 or 32
  uint32_t amdInfoSize;      // 0 (none) or 56
  uint32_t endSize;          // 4 or 8
};
SlrtGeometry slrtGeometry(SklLayout layout);  // InternalError for tags2023

struct SlrtOffsets {
  uint32_t dlInfo, logInfo, entryPolicy, amdInfo, end, size;
};
// amdInfoSize: 0 for the layout's (56 in slrt2025), or 48 for SKL-A's 2024
// AMD_INFO without psp_version.
SlrtOffsets slrtOffsets(SklLayout layout, uint32_t policyEntries, uint32_t amdInfoSize = 0);

inline constexpr uint32_t kAmdInfoSizeSklA2024 = 48;

struct PolicyEntry {
  uint16_t pcr = 18;
  uint16_t entityType = kEntityUnused;
  uint16_t flags = 0;
  uint64_t entity = 0;
  uint64_t size = 0;
  std::string evtInfo;
};

struct SlrtContent {
  SklLayout layout = SklLayout::Slrt2025;
  uint64_t address = 0;  // SLB base + bootloader_data offset
  uint32_t maxSize = 0;  // 64 KiB - bootloader_data offset
  uint64_t dceBase = 0, dceSize = 0;
  uint64_t dlmeBase = 0, dlmeSize = 0, dlmeEntry = 0;
  uint64_t blContext = 0;
  uint16_t logFormat = 2;
  uint64_t logBase = 0, logSize = 0;
  std::vector<PolicyEntry> policy;
  uint64_t bootParamsBase = 0;  // AMD_INFO.boot_params_base (slrt2025)
  uint32_t amdInfoSize = 0;     // slrt2025: 0 = 56 bytes, or kAmdInfoSizeSklA2024
};

// The table as a block named "slrt"; field names "slrt.magic", "dl_info.dlme_entry",
// "log_info.format", "entry_policy.entries[0].pcr", "amd_info.boot_params_base",
// "end.hdr.tag" (docs/skl.md lists them all).
FieldBlock encodeSlrt(const SlrtContent& c);

}  // namespace dlsim::svm
