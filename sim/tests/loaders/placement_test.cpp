// Placement: usable RAM is e820 RAM minus other types, within guest RAM;
// searches are first fit in address order and honour earlier claims.
#include "sim/loaders/placement.h"

#include <gtest/gtest.h>

#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

TEST(Placement, UsableIsE820RamMinusReservedWithinGuestRam) {
  GuestMemory mem;
  mem.addRam(0, 0x100000, "low");
  mem.addRam(0x100000, 0x100000, "high");  // adjacent: merged
  E820Map e820 = {{0, 0x300000, E820Type::Ram}, {0x9f000, 0x61000, E820Type::Reserved}};
  Placement p(mem, e820, {}, "f");
  std::vector<GpaRange> want = {{0, 0x9f000}, {0x100000, 0x200000}};
  EXPECT_EQ(p.usable(), want);
  expectInputError([&] { p.claimFixed(0x9e000, 0x2000, "thing"); }, {"f: thing", "not usable RAM in the e820 map"});
  expectInputError([&] { p.claimFixed(0x1ff000, 0x2000, "thing"); }, {"outside guest RAM"});
}

TEST(Placement, LowestAndHighestSkipClaimedRanges) {
  GuestMemory mem;
  mem.addRam(0, 0x10000, "low");
  Placement p(mem, {}, {{0x1000, 0x1000}}, "f");
  p.claimFixed(0x2000, 0x800, "a");
  EXPECT_EQ(p.claimLowest(0x1000, 0x1000, 0x1000, 0x10000, "b"), 0x3000u);
  EXPECT_EQ(p.claimHighest(0x1000, 0x1000, 0, 0x10000, "c"), 0xf000u);
  EXPECT_EQ(p.claimHighest(0x2000, 0x1000, 0, 0xf800, "d"), 0xd000u);
  uint64_t at = 0;
  EXPECT_FALSE(p.findLowest(0x9001, 1, 0, 0x10000, at));  // the largest hole, 0x4000..0xd000, is 0x9000 long
  EXPECT_TRUE(p.findLowest(0x9000, 0x1000, 0x1000, 0x10000, at));
  EXPECT_EQ(at, 0x4000u);
  expectInputError([&] { p.claimFixed(0x2400, 0x10, "e"); }, {"overlaps a [0x2000, 0x2800)"});
  expectInputError([&] { p.claimLowest(0xa000, 0x1000, 0, 0x10000, "big"); }, {"no usable RAM for big"});
}

}  // namespace
}  // namespace dlsim
