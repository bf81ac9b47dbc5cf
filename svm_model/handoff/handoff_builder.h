// The hand-off builder: from a HandoffDesc, the bytes TrenchBoot GRUB puts in
// guest memory before it executes SKINIT (docs/skl.md):
//   tags2023  the tag list at SLB + bootloader_data_offset (handoff_tags.h)
//   slrt2024/slrt2025  the SLRT there (handoff_slrt.h), with DL_INFO (the
//             kernel as DLME, the SLB as DCE), LOG_INFO, ENTRY_POLICY (GRUB's
//             default policy) and, for slrt2025, AMD_INFO
// and the boot parameters (Linux zero page + command line, or Multiboot2
// information; handoff_boot_info.h). The boot parameters reach the SKL through
// the tag list (tags2023) or DL_INFO.bl_context.context (slrt2024, slrt2025:
// what SKL passes to the DLME), and AMD_INFO.boot_params_base (slrt2025: what
// SKL-A's AMDSL build and Linux read).
//
// Every field is named; the description's overrides replace fields by name
// after building (a broken boot loader is a good one plus overrides). Sizes
// and the table's own size field are not recomputed after an override.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "svm_model/handoff/field_block.h"
#include "svm_model/handoff/handoff_desc.h"
#include "svm_model/handoff/handoff_slrt.h"

namespace dlsim::svm {

struct HandoffWrite {
  std::string block;  // "slrt", "tags", "boot_params", "cmdline", "mbi"
  uint64_t address = 0;
  std::vector<uint8_t> bytes;
};

// One named field at its guest address (for reports and scenario checks).
struct HandoffField {
  std::string name;
  std::string block;
  uint64_t address = 0;
  uint32_t width = 0;
  bool text = false;
  uint64_t value = 0;     // numbers
  std::string textValue;  // text fields
};

struct Handoff {
  std::vector<FieldBlock> blocks;
  uint64_t bootloaderDataAddress = 0;  // SLB base + bootloader_data_offset
  uint64_t bootParamsAddress = 0;      // what the DLME finds in ESI

  std::vector<HandoffWrite> writes() const;
  // The field and its block, or nullptr.
  const BlockField* field(const std::string& name) const;
  // Its guest address; InternalError if there is no such field.
  uint64_t fieldAddress(const std::string& name) const;
  // All field names in block order (for docs and messages).
  std::vector<std::string> fieldNames() const;
  // Every field with its guest address and current value, in block order.
  std::vector<HandoffField> fields() const;
};

// Builds and applies d.overrides. InputError naming the description's field
// (d.source + JSON pointer) when the blocks do not fit (the SLRT past the SLB
// end, a tags2023 value beyond 32 bits, two blocks overlapping) or an
// override names no field or does not fit it.
Handoff buildHandoff(const HandoffDesc& d);

// Replaces one field; InputError naming o.where as above.
void applyOverride(Handoff& h, const FieldOverride& o);

// GRUB's default ENTRY_POLICY for the description (linux-secure-launch.md
// 3.4): PCR 18 SLRT, boot params, setup_data, command line, EFI memory map
// (unused), PCR 17 initrd (unused); for multiboot2 the SLRT and the MBI.
std::vector<PolicyEntry> defaultPolicy(const HandoffDesc& d, uint64_t slrtAddress, uint64_t amdInfoAddress);

}  // namespace dlsim::svm
