// A real SKL binary, $DLSIM_SKL_DIR/skl.bin when DLSIM_SKL_DIR names an SKL
// build directory (docs/skl.md says how to build it; it is never committed): its layout is detected, GRUB's checks accept
// it, and the measured bytes are its first align_up(length, 4) bytes.
// DLSIM_SKL_LAYOUT, if set, is the layout the binary must have.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "svm_model/slb/skl_acceptance.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {
namespace {

TEST(SklBinary, RealSklParsesAndPassesGrubsChecks) {
  const char* dir = std::getenv("DLSIM_SKL_DIR");
  if (!dir || !*dir)
    GTEST_SKIP() << "set DLSIM_SKL_DIR to a TrenchBoot secure-kernel-loader build directory (git clone "
                    "https://github.com/TrenchBoot/secure-kernel-loader; make; optionally the `slrt` "
                    "branch) to run this test; docs/skl.md";
  const std::string path = std::string(dir) + "/skl.bin";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path << " (DLSIM_SKL_DIR)";
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  auto layout = detectSklLayout(bytes);
  ASSERT_TRUE(layout.has_value()) << path << ": no skl_info offset points at the SKL UUID";
  if (const char* want = std::getenv("DLSIM_SKL_LAYOUT"); want && *want) {
    EXPECT_EQ(sklLayoutName(*layout), std::string(want));
  }
  SklImage s = parseSklImage(bytes, *layout, path);
  for (const auto& f : checkSklImage(s)) ADD_FAILURE() << sklCheckName(f.check) << ": " << f.detail;
  EXPECT_EQ(s.uuid, kSklUuid);
  EXPECT_EQ(s.version, 0u);

  auto measured = slbMeasuredBytes(bytes, s.length);
  ASSERT_EQ(measured.size(), slbMeasuredLength(s.length));
  EXPECT_TRUE(std::equal(measured.begin(), measured.begin() + s.length, bytes.begin()));
  RecordProperty("layout", std::string(sklLayoutName(*layout)));
  std::cout << path << ": layout " << sklLayoutName(*layout) << ", entry 0x" << std::hex << s.entry << ", length 0x"
            << s.length << ", skl_info 0x" << s.sklInfoOffset << ", bootloader_data 0x" << s.bootloaderDataOffset
            << std::dec << "\n";
}

}  // namespace
}  // namespace dlsim::svm
