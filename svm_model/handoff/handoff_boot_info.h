// The boot parameters the DLME receives (ESI after SKL; docs/skl.md):
//   linux: a 4 KiB zero page (struct boot_params) with the setup header
//     fields a loader fills: boot_flag 0xAA55 (0x1FE), "HdrS" (0x202),
//     version 0x020F (0x206), type_of_loader 0xFF (0x210), code32_start
//     (0x214), cmd_line_ptr (0x228), cmdline_size (0x238), setup_data (0x250,
//     u64; slrt2025: AMD_INFO + 8). Everything else is zero (no e820 map).
//     The command line, NUL-terminated, is its own block right after it.
//   multiboot2: a Multiboot2 information structure {u32 total_size, u32
//     reserved} with a command line tag (type 1) when there is a command
//     line, a load base address tag (type 21) and the end tag.
// Field names: "boot_params.setup_data", "boot_params.hdr.cmd_line_ptr",
// "cmdline.text", "mbi.total_size", "mbi.load_base_addr", ...
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "svm_model/handoff/field_block.h"
#include "svm_model/handoff/handoff_desc.h"

namespace dlsim::svm {

inline constexpr uint32_t kZeroPageSize = 0x1000;

// Blocks for the zero page (and the command line when non-empty, at
// bootParamsBase + 0x1000).
std::vector<FieldBlock> encodeZeroPage(const HandoffDesc& d, uint64_t setupData);
FieldBlock encodeMultiboot2Info(const HandoffDesc& d);

}  // namespace dlsim::svm
