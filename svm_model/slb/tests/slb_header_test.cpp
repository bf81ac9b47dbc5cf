// The SLB header and SKINIT's measured bytes: the header words read
// little-endian, the measured length is the image length rounded up to 4
// (0 -> 0, 1 -> 4, 0xFFFF -> 0x10000), the pad is zero whatever follows the
// image, and a too-short image is an InputError naming the source.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {
namespace {

TEST(SlbHeader, ReadsEntryAndLengthLittleEndian) {
  std::vector<uint8_t> b = {0x34, 0x12, 0x0e, 0x2c, 0xff};
  SlbHeader h = readSlbHeader(b, "skl.bin");
  EXPECT_EQ(h.entry, 0x1234);
  EXPECT_EQ(h.length, 0x2c0e);
}

TEST(SlbHeader, ShortImageIsAnInputErrorNamingTheField) {
  std::vector<uint8_t> b = {0x34, 0x12, 0x0e};
  try {
    readSlbHeader(b, "skl.bin");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("skl.bin"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SLB header length"), std::string::npos) << e.what();
  }
}

TEST(SlbHeader, MeasuredLengthRoundsUpToFour) {
  EXPECT_EQ(slbMeasuredLength(0), 0u);
  EXPECT_EQ(slbMeasuredLength(1), 4u);
  EXPECT_EQ(slbMeasuredLength(4), 4u);
  EXPECT_EQ(slbMeasuredLength(0x2c0e), 0x2c10u);  // SKL-S's skl.bin length
  EXPECT_EQ(slbMeasuredLength(0xFFFF), 0x10000u);
}

TEST(SlbHeader, MeasuredBytesArePaddedWithZeroNotWithWhatFollows) {
  std::vector<uint8_t> image = {1, 2, 3, 4, 5, 0xAA, 0xBB, 0xCC, 0xDD};
  EXPECT_EQ(slbMeasuredBytes(image, 5), (std::vector<uint8_t>{1, 2, 3, 4, 5, 0, 0, 0}));
  EXPECT_EQ(slbMeasuredBytes(image, 8), (std::vector<uint8_t>{1, 2, 3, 4, 5, 0xAA, 0xBB, 0xCC}));
  // A length beyond the bytes given: the missing bytes count as zero.
  EXPECT_EQ(slbMeasuredBytes(std::vector<uint8_t>{9}, 3), (std::vector<uint8_t>{9, 0, 0, 0}));
}

}  // namespace
}  // namespace dlsim::svm
