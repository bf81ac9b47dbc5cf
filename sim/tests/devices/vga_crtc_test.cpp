// The VGA CRTC index/data pair: what tboot's vga.c and a cursor-moving
// driver write, read back; the write protection of CR00-CR07 (CR11 bit 7);
// word accesses; snapshots.
#include "sim/devices/vga_crtc.h"

#include <gtest/gtest.h>

#include "sim/tests/devices/snapshot_check.h"

namespace dlsim {
namespace {

class VgaCrtcTest : public ::testing::Test {
 protected:
  uint64_t rd(uint64_t off, unsigned size = 1) { return c.read(ctx, off, size); }
  void wr(uint64_t off, uint64_t v, unsigned size = 1) { c.write(ctx, off, size, v); }
  void set(uint8_t index, uint8_t v) {
    wr(0, index);
    wr(1, v);
  }
  uint8_t get(uint8_t index) {
    wr(0, index);
    return uint8_t(rd(1));
  }
  VgaCrtc c;
  AccessContext ctx{0, 0x3D4, -1};
};

TEST_F(VgaCrtcTest, StartAddressAndCursorReadBack) {
  EXPECT_EQ(c.name(), "vga-crtc");
  // tboot's reset_screen: start address high (CR0C) and low (CR0D) to 0.
  set(0x0C, 0x12);
  set(0x0D, 0x34);
  set(0x0E, 0x07);  // cursor location high
  set(0x0F, 0xD0);  // cursor location low: row 25, column 0 of 80
  EXPECT_EQ(rd(0), 0x0Fu);  // the index reads back
  EXPECT_EQ(get(0x0C), 0x12);
  EXPECT_EQ(get(0x0D), 0x34);
  EXPECT_EQ(get(0x0E), 0x07);
  EXPECT_EQ(get(0x0F), 0xD0);
  EXPECT_EQ(c.reg(0x0F), 0xD0);
}

TEST_F(VgaCrtcTest, IndexBeyondCr18SelectsNothing) {
  set(0x18, 0xAA);
  EXPECT_EQ(get(0x18), 0xAA);
  set(0x19, 0x55);
  EXPECT_EQ(get(0x19), 0xFF);
  EXPECT_EQ(rd(0), 0x19u);
  set(0xFF, 0x55);
  EXPECT_EQ(get(0xFF), 0xFF);
  for (unsigned i = 0; i < 0x18; ++i) EXPECT_EQ(c.reg(i), 0) << i;  // nothing else written
}

TEST_F(VgaCrtcTest, ProtectBitMakesCr00ToCr07ReadOnlyButLineCompareBit8) {
  set(0x00, 0x5F);
  set(0x07, 0x00);
  set(0x11, 0x80);  // Protect
  set(0x00, 0x11);
  set(0x06, 0x22);
  set(0x07, 0xFF);
  EXPECT_EQ(get(0x00), 0x5F);
  EXPECT_EQ(get(0x06), 0x00);
  EXPECT_EQ(get(0x07), 0x10);  // only bit 4 took the write
  set(0x08, 0x33);             // CR08 and above stay writable
  EXPECT_EQ(get(0x08), 0x33);
  set(0x11, 0x00);
  set(0x00, 0x11);
  EXPECT_EQ(get(0x00), 0x11);
}

TEST_F(VgaCrtcTest, WordAccessWritesIndexThenData) {
  wr(0, 0x4E0E, 2);  // outw(0x3D4, 0x4E0E): CR0E := 0x4E
  EXPECT_EQ(c.index(), 0x0E);
  EXPECT_EQ(c.reg(0x0E), 0x4E);
  EXPECT_EQ(rd(0, 2), 0x4E0Eu);
  wr(1, 0xAB77, 2);  // data byte, then a byte beyond the pair: dropped
  EXPECT_EQ(c.reg(0x0E), 0x77);
  EXPECT_EQ(rd(1, 2), 0xFF77u);
}

TEST_F(VgaCrtcTest, SnapshotRoundTrip) {
  set(0x0C, 0x12);
  set(0x11, 0x80);
  wr(0, 0x0E);
  VgaCrtc fresh;
  testing::expectSnapshotRoundTrip(c, fresh);
  EXPECT_EQ(fresh.index(), 0x0E);
  EXPECT_EQ(fresh.reg(0x0C), 0x12);
  EXPECT_EQ(fresh.reg(0x11), 0x80);
}

}  // namespace
}  // namespace dlsim
