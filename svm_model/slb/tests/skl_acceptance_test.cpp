// GRUB's SKL acceptance checks: a good image in each layout passes; each
// check fails alone when its one value crosses the limit and passes at the
// limit; names are distinct.
#include <gtest/gtest.h>

#include <set>

#include "svm_model/slb/skl_acceptance.h"
#include "svm_model/slb/tests/skl_sample_image.h"

namespace dlsim::svm {
namespace {

using test::sampleSklImage;

std::vector<std::string> names(const SklImage& s) {
  std::vector<std::string> n;
  for (const auto& f : checkSklImage(s)) n.emplace_back(sklCheckName(f.check));
  return n;
}

using V = std::vector<std::string>;

TEST(SklAcceptance, GoodImagesPassInEveryLayout) {
  for (SklLayout l : {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025})
    EXPECT_EQ(names(sampleSklImage(l)), V{}) << sklLayoutName(l);
}

TEST(SklAcceptance, ImageTooLarge) {
  SklImage s = sampleSklImage();
  s.imageSize = 0xF000;
  EXPECT_EQ(names(s), V{});
  s.imageSize = 0xF001;
  EXPECT_EQ(names(s), V{"image_too_large"});
}

TEST(SklAcceptance, LengthBeyondImage) {
  SklImage s = sampleSklImage();
  s.length = 0x3000;
  EXPECT_EQ(names(s), V{});
  s.length = 0x3001;
  EXPECT_EQ(names(s), V{"length_beyond_image"});
}

TEST(SklAcceptance, EntryBeyondLength) {
  SklImage s = sampleSklImage();
  s.entry = 0x2ffd;
  EXPECT_EQ(names(s), V{});
  s.entry = 0x2ffe;
  auto f = checkSklImage(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(sklCheckName(f[0].check), "entry_beyond_length");
  EXPECT_EQ(f[0].detail, "entry 0x2ffe >= length 0x2ffe");
}

TEST(SklAcceptance, SklInfoBeyondLength) {
  SklImage s = sampleSklImage();
  s.sklInfoOffset = 0x2fee;  // = length - 16
  EXPECT_EQ(names(s), V{});
  s.sklInfoOffset = 0x2fef;
  EXPECT_EQ(names(s), V{"skl_info_beyond_length"});
  // A length below 16 must not wrap (GRUB's length - 16).
  SklImage t = sampleSklImage();
  t.length = 8;
  t.entry = 0;
  t.sklInfoOffset = 0;
  EXPECT_EQ(names(t), V{"skl_info_beyond_length"});
}

TEST(SklAcceptance, BootloaderDataTooSmall) {
  SklImage s = sampleSklImage();
  s.bootloaderDataOffset = 0xF000;
  EXPECT_EQ(names(s), V{});
  s.bootloaderDataOffset = 0xF001;
  EXPECT_EQ(names(s), V{"bootloader_data_too_small"});
}

TEST(SklAcceptance, BootloaderDataOverlapsImage) {
  SklImage s = sampleSklImage();
  s.bootloaderDataOffset = s.length;
  EXPECT_EQ(names(s), V{});
  s.bootloaderDataOffset = uint16_t(s.length - 1);
  EXPECT_EQ(names(s), V{"bootloader_data_overlaps_image"});
}

TEST(SklAcceptance, BadVersion) {
  SklImage s = sampleSklImage();
  s.version = 1;
  EXPECT_EQ(names(s), V{"bad_version"});
}

TEST(SklAcceptance, BadUuid) {
  SklImage s = sampleSklImage();
  (*s.uuid)[15] ^= 0x80;
  EXPECT_EQ(names(s), V{"bad_uuid"});
  s.uuid.reset();
  s.version.reset();
  EXPECT_EQ(names(s), V{"bad_uuid"});
}

TEST(SklAcceptance, EveryCheckHasItsOwnName) {
  std::set<std::string> seen;
  for (int c = 0; c <= int(SklCheck::BadUuid); ++c)
    EXPECT_TRUE(seen.insert(std::string(sklCheckName(SklCheck(c)))).second);
  EXPECT_EQ(seen.size(), 8u);
}

}  // namespace
}  // namespace dlsim::svm
