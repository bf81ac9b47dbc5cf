// Flat loader: bytes at the address, no boot state, clear rejections.
#include "sim/loaders/flat_loader.h"

#include <gtest/gtest.h>

#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

TEST(FlatLoader, PlacesBytesAndGivesNoEntry) {
  GuestMemory mem;
  mem.addRam(0, 0x10000, "low");
  Bytes b = pattern(0x200, 4);
  LoadedImage li = loadFlat(mem, writeTemp("boot.bin", b), 0x7c00);
  EXPECT_EQ(readMem(mem, 0x7c00, 0x200), b);
  EXPECT_FALSE(li.boot);
  EXPECT_EQ(li.placed, (std::vector<GpaRange>{{0x7c00, 0x200}}));
}

TEST(FlatLoader, Rejections) {
  GuestMemory mem;
  mem.addRam(0, 0x10000, "low");
  std::string big = writeTemp("big", pattern(0x200, 1));
  expectInputError([&] { loadFlat(mem, big, 0xff00); }, {big, "0xff00", "outside guest RAM"});
  expectInputError([&] { loadFlat(mem, big, 0x1000, {{0x1100, 0x10}}); }, {big, "overlaps", "earlier load"});
  std::string empty = writeTemp("empty", {});
  expectInputError([&] { loadFlat(mem, empty, 0x1000); }, {empty, "empty"});
  std::string missing = ::testing::TempDir() + "dlsim_ld_missing.bin";
  expectInputError([&] { loadFlat(mem, missing, 0x1000); }, {missing});
}

}  // namespace
}  // namespace dlsim
