// SKL images in the three header layouts: each round-trips through
// encodeSklImage / parseSklImage with the offsets at the spec's places (+4,
// +4/+6, +0x42/+0x44), detection tells the layouts apart, and a header
// shorter than its layout is an InputError naming the field.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "svm_model/slb/skl_image.h"
#include "svm_model/slb/tests/skl_sample_image.h"

namespace dlsim::svm {
namespace {

using test::sampleSklImage;

uint16_t u16(const std::vector<uint8_t>& b, size_t off) { return uint16_t(b[off] | b[off + 1] << 8); }

void expectSame(const SklImage& a, const SklImage& b) {
  EXPECT_EQ(a.layout, b.layout);
  EXPECT_EQ(a.imageSize, b.imageSize);
  EXPECT_EQ(a.entry, b.entry);
  EXPECT_EQ(a.length, b.length);
  EXPECT_EQ(a.sklInfoOffset, b.sklInfoOffset);
  EXPECT_EQ(a.bootloaderDataOffset, b.bootloaderDataOffset);
  EXPECT_EQ(a.uuid, b.uuid);
  EXPECT_EQ(a.version, b.version);
}

TEST(SklImage, Tags2023RoundTripsWithSklInfoAtPlus4) {
  SklImage s = sampleSklImage(SklLayout::Tags2023);
  auto bytes = encodeSklImage(s);
  EXPECT_EQ(u16(bytes, 0), 0x100);
  EXPECT_EQ(u16(bytes, 2), 0x2ffe);
  EXPECT_EQ(u16(bytes, 4), 0x2f00);
  expectSame(parseSklImage(bytes, SklLayout::Tags2023, "t"), s);
  EXPECT_EQ(detectSklLayout(bytes), SklLayout::Tags2023);
}

TEST(SklImage, Slrt2024RoundTripsWithBootloaderDataAtPlus6) {
  SklImage s = sampleSklImage(SklLayout::Slrt2024);
  auto bytes = encodeSklImage(s);
  EXPECT_EQ(u16(bytes, 4), 0x2f00);
  EXPECT_EQ(u16(bytes, 6), 0xd4d4);
  expectSame(parseSklImage(bytes, SklLayout::Slrt2024, "t"), s);
  EXPECT_EQ(detectSklLayout(bytes), SklLayout::Slrt2024);
}

TEST(SklImage, Slrt2025RoundTripsWithOffsetsAfterTheAmdHeader) {
  SklImage s = sampleSklImage(SklLayout::Slrt2025);
  auto bytes = encodeSklImage(s);
  EXPECT_EQ(u16(bytes, 0x42), 0x2f00);
  EXPECT_EQ(u16(bytes, 0x44), 0xd4d4);
  EXPECT_EQ(u16(bytes, 4), 0);  // the opaque AMD DRTM header is not ours to fill
  expectSame(parseSklImage(bytes, SklLayout::Slrt2025, "t"), s);
  EXPECT_EQ(detectSklLayout(bytes), SklLayout::Slrt2025);
}

TEST(SklImage, DetectionNeedsTheUuid) {
  SklImage s = sampleSklImage(SklLayout::Slrt2025);
  auto bytes = encodeSklImage(s);
  bytes[0x2f00] ^= 1;
  EXPECT_EQ(detectSklLayout(bytes), std::nullopt);
  EXPECT_EQ(detectSklLayout(std::vector<uint8_t>{1, 2, 3}), std::nullopt);
}

TEST(SklImage, Tags2023WithAnImplausibleWordAtPlus6IsNotSlrt2024) {
  // SKL master's skl.bin: +6 holds its stack canary's low half (0xbeef).
  SklImage s = sampleSklImage(SklLayout::Tags2023);
  auto bytes = encodeSklImage(s);
  bytes[6] = 0xef;
  bytes[7] = 0xbe;
  EXPECT_EQ(detectSklLayout(bytes), SklLayout::Tags2023);
}

TEST(SklImage, SklInfoBeyondTheImageLeavesUuidUnset) {
  SklImage s = sampleSklImage(SklLayout::Slrt2024);
  s.sklInfoOffset = 0x2ff0;  // 20 bytes would end at 0x3004 > 0x3000
  auto bytes = encodeSklImage(s);
  SklImage p = parseSklImage(bytes, SklLayout::Slrt2024, "t");
  EXPECT_FALSE(p.uuid.has_value());
  EXPECT_FALSE(p.version.has_value());
}

TEST(SklImage, HeaderShorterThanTheLayoutIsAnInputError) {
  std::vector<uint8_t> bytes(0x44, 0);
  try {
    parseSklImage(bytes, SklLayout::Slrt2025, "grub/skl.bin");
    FAIL() << "no error";
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("grub/skl.bin"), std::string::npos) << m;
    EXPECT_NE(m.find("slrt2025"), std::string::npos) << m;
    EXPECT_NE(m.find("bootloader_data offset"), std::string::npos) << m;
  }
}

TEST(SklImage, EveryTruncationIsAnInputErrorOrAParse) {
  // Cut a good image at every length: parse, detection and GRUB's checks
  // either work or throw InputError, never read past the bytes.
  for (SklLayout l : {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025}) {
    SklImage s = sampleSklImage(l);
    s.sklInfoOffset = 0x50;
    auto full = encodeSklImage(s);
    for (size_t n = 0; n <= 0x70; ++n) {
      std::vector<uint8_t> cut(full.begin(), full.begin() + std::ptrdiff_t(n));
      (void)detectSklLayout(cut);
      try {
        SklImage p = parseSklImage(cut, l, "cut");
        EXPECT_GE(n, size_t(sklHeaderFields(l).headerSize));
        EXPECT_EQ(p.uuid.has_value(), n >= 0x50 + kSklInfoSize) << n;
      } catch (const InputError&) {
        EXPECT_LT(n, size_t(sklHeaderFields(l).headerSize));
      }
    }
  }
}

TEST(SklImage, LayoutNamesRoundTrip) {
  for (SklLayout l : {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025})
    EXPECT_EQ(sklLayoutFromName(sklLayoutName(l)), l);
  EXPECT_EQ(sklLayoutFromName("slrt2026"), std::nullopt);
}

}  // namespace
}  // namespace dlsim::svm
