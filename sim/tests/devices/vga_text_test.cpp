// VGA text rendering from hand-written character/attribute cells.
#include "sim/devices/vga_text.h"

#include <gtest/gtest.h>

#include "sim/errors.h"

namespace dlsim {
namespace {

void putText(GuestMemory& m, uint64_t base, int cols, int row, int col, const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    uint8_t cell[2] = {static_cast<uint8_t>(s[i]), 0x1F};  // white on blue
    ASSERT_TRUE(m.write(base + 2 * (row * cols + col + i), cell, 2));
  }
}

TEST(VgaText, BlankScreenIsEmpty) {
  GuestMemory m;
  m.addRam(0, 0x100000, "low");
  EXPECT_EQ(renderVgaText(m), "");
}

TEST(VgaText, RowsTrimmedAndTrailingRowsDropped) {
  GuestMemory m;
  m.addRam(0, 0x100000, "low");
  putText(m, 0xB8000, 80, 0, 0, "dlsim  ");
  putText(m, 0xB8000, 80, 2, 4, "TXT launch");
  // Row 1 stays empty; row 3 holds only spaces with attributes.
  putText(m, 0xB8000, 80, 3, 0, "     ");
  EXPECT_EQ(renderVgaText(m), "dlsim\n\n    TXT launch");
}

TEST(VgaText, NonPrintableShownAsDotAndAttributesDropped) {
  GuestMemory m;
  m.addRam(0, 0x100000, "low");
  uint8_t cells[] = {'A', 0x07, 0x01, 0x41, 0xB0, 0x20, 0x7F, 0x00, 'z', 'q'};
  ASSERT_TRUE(m.write(0xB8000, cells, sizeof cells));
  EXPECT_EQ(renderVgaText(m), "A...z");
}

TEST(VgaText, LastCellOfTheScreenAndCustomGeometry) {
  GuestMemory m;
  m.addRam(0, 0x100000, "low");
  putText(m, 0xB8000, 80, 24, 79, "#");
  EXPECT_EQ(renderVgaText(m), std::string(24, '\n') + std::string(79, ' ') + "#");
  putText(m, 0xB0000, 4, 0, 0, "abcdefgh");
  EXPECT_EQ(renderVgaText(m, 0xB0000, 4, 2), "abcd\nefgh");
}

TEST(VgaText, MissingRamRendersBlankAndBadGeometryIsAnError) {
  GuestMemory m;
  m.addRam(0, 0xB9000, "low");  // the screen's second half is not RAM
  putText(m, 0xB8000, 80, 0, 0, "top");
  EXPECT_EQ(renderVgaText(m), "top");
  EXPECT_THROW(renderVgaText(m, 0xB8000, 0, 25), InputError);
  EXPECT_THROW(renderVgaText(m, 0xB8000, 80, 2000), InputError);
}

}  // namespace
}  // namespace dlsim
