// The bootloader data of a tags2023 SKL (secure-kernel-loader master,
// include/tags.h; docs/skl.md): a list of tags {u8 type, u8 len, payload}
// right after the measured image, in the order
//   TAGS_SIZE (0x0F, len 4: u16 size of the whole list incl. END)
//   BOOT_LINUX (0x10, len 6: u32 zero_page) or
//   BOOT_MB2 (0x11, len 14: u32 mbi, u32 kernel_entry (absolute), u32 kernel_size)
//   EVENT_LOG (0x20, len 10: u32 address, u32 size)
//   END (0x00, len 2)
// Field names: "tags.tags_size.size", "tags.boot_mb2.kernel_entry",
// "tags.event_log.address", "tags.end.len", ... (each tag's type and len too).
#pragma once
#include <cstdint>

#include "svm_model/handoff/field_block.h"
#include "svm_model/handoff/handoff_desc.h"

namespace dlsim::svm {

inline constexpr uint8_t kSklTagEnd = 0x00, kSklTagTagsSize = 0x0F, kSklTagBootLinux = 0x10, kSklTagBootMb2 = 0x11,
                         kSklTagEventLog = 0x20;

// The list for `d`, placed at `address`; the caller has checked that every
// address and size fits in 32 bits.
FieldBlock encodeSklTags(const HandoffDesc& d, uint64_t address);

}  // namespace dlsim::svm
