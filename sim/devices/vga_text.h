// Renders the VGA text-mode screen for reports. In dlsim the window at
// 0xB8000 is plain RAM so guest stores stay fast; this reads it afterwards.
// Each cell is a character byte followed by an attribute byte; attributes are
// dropped. Bytes 0x20-0x7E are shown as themselves, 0x00 as a space (code
// page 437 draws glyph 0 blank, and fresh RAM is all zeros), anything else as
// '.'. Rows are joined by '\n', trailing spaces of each row are trimmed and
// trailing empty rows are dropped. Cells outside RAM render as spaces.
#pragma once
#include <cstdint>
#include <string>

#include "sim/guest_memory.h"

namespace dlsim {

// Throws InputError when cols or rows are outside 1..1024.
std::string renderVgaText(const GuestMemory& mem, uint64_t base = 0xB8000, int cols = 80, int rows = 25);

}  // namespace dlsim
