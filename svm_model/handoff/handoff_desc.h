// What the boot loader (TrenchBoot GRUB) hands an SKL: the description the
// hand-off builder turns into bytes (handoff_builder.h, docs/skl.md).
//
// A plain struct: reading it from a scenario belongs to the scenario section
// (svm_platform, which may use sim/scenario/json_reader.h; this library is
// base-only). Messages about a bad description name `source` and
// `pointer` + the JSON Pointer of the field in the form docs/skl.md gives:
//   { "slb_base", "layout", "bootloader_data_offset",
//     "kernel": { "kind", "base", "size", "entry_offset" },
//     "boot_params_base", "cmdline", "event_log": { "base", "size", "format" },
//     "tpm", "amd_info_size": 56 | 48, "overrides": { "<field name>": value } }
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "svm_model/slb/skl_image.h"

namespace dlsim::svm {

enum class KernelKind { Linux, Multiboot2 };
enum class TpmFamily { Tpm12, Tpm20 };

// SLRT LOG_INFO.format values.
inline constexpr uint16_t kLogFormatTpm12Txt = 1;
inline constexpr uint16_t kLogFormatTpm20Tcg = 2;

// One field replaced after building: the field's dotted name and its new
// value (a number, or text for char[] fields). `where` names the override in
// messages ("FILE: /overrides/dl_info.dlme_entry").
struct FieldOverride {
  std::string field;
  std::variant<uint64_t, std::string> value;
  std::string where;
};

struct HandoffDesc {
  uint64_t slbBase = 0;
  SklLayout layout = SklLayout::Slrt2025;
  uint16_t bootloaderDataOffset = 0;
  KernelKind kernel = KernelKind::Multiboot2;
  uint64_t kernelBase = 0;
  uint64_t kernelSize = 0;
  uint64_t kernelEntryOffset = 0;
  uint64_t bootParamsBase = 0;
  std::string cmdline;
  uint64_t logBase = 0;
  uint64_t logSize = 0;
  std::optional<uint16_t> logFormat;  // unset: from the TPM family (GRUB's choice)
  TpmFamily tpm = TpmFamily::Tpm20;
  // slrt2025's AMD_INFO: 56 bytes (GRUB, Xen, Linux 2025) or 48 (SKL-A
  // 2024, no psp_version; its AMDSL build refuses any other size).
  uint32_t amdInfoSize = 56;
  std::vector<FieldOverride> overrides;
  std::string source;   // the file the description came from, for messages
  std::string pointer;  // the JSON Pointer of the description in it ("" = root)
};

// Throws InputError "SOURCE: POINTER/field: ..." for a value the builder
// cannot lay out: the SLB not 64 KiB-aligned or not below 4 GiB, a zero
// bootloader_data offset, a kernel, zero page or log reaching past 4 GiB, an
// empty kernel or log, a log format other than 1/2, a command line with a
// NUL or longer than 4095 bytes. (A description may still be *wrong* for an
// SKL, e.g. dlme_entry >= dlme_size: that is SKL's to refuse.)
void validateHandoffDesc(const HandoffDesc& d);

// LOG_INFO.format for the description: logFormat, else 1 for TPM 1.2 and 2
// for TPM 2.0.
uint16_t handoffLogFormat(const HandoffDesc& d);

}  // namespace dlsim::svm
