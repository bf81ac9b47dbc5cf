// The test-side SKL PCR helper against digests computed by hand for a tiny
// launch (SL = 08 00 05 00 aa, length 5 -> measured 08 00 05 00 aa 00 00 00;
// dlme_entry 2; DLME f4 eb fd 90), with Python's hashlib from the formula in
// skl_expected_pcrs.h, and against the same steps spelt out with Botan.
#include <gtest/gtest.h>

#include "sim/hex.h"
#include "svm_model/handoff/tests/skl_expected_pcrs.h"

namespace dlsim::svm::testing {
namespace {

const std::vector<uint8_t> kSl = {0x08, 0x00, 0x05, 0x00, 0xAA, 0x77, 0x77};  // 0x77: past the length
const std::vector<uint8_t> kDlme = {0xF4, 0xEB, 0xFD, 0x90};

TEST(SklExpectedPcrs, TinyLaunchMatchesHandComputedDigests) {
  auto e = expectedSklPcrs(kSl, 2, kDlme);
  EXPECT_EQ(hexBytes(e.sha1.pcr17), "bcf2943c92df8cb515a612a023ffff7b4aaba799");
  EXPECT_EQ(hexBytes(e.sha256.pcr17), "b8342dc809f92505e60107ed88170ff3d434c5b89486930e47ef2c650a85e448");
  EXPECT_EQ(e.sha1.pcr18, std::vector<uint8_t>(20, 0));
  EXPECT_EQ(e.sha256.pcr18, std::vector<uint8_t>(32, 0));
}

TEST(SklExpectedPcrs, SkinitStepAloneMatchesHashlib) {
  // PCR 17 after SKINIT only: H(0^n || H(measured SL)).
  std::vector<uint8_t> measured = {0x08, 0x00, 0x05, 0x00, 0xAA, 0, 0, 0};
  std::vector<uint8_t> p(32, 0);
  sklTestExtend("SHA-256", p, measured);
  EXPECT_EQ(hexBytes(p), "f5eff57df8d1706f31fec0919b7013dc2a3f3f2e89ceb48a4255c2047cc8baac");
  std::vector<uint8_t> q(20, 0);
  sklTestExtend("SHA-1", q, measured);
  EXPECT_EQ(hexBytes(q), "3aed44fe0b649161b3cf41247f1744046b226374");
}

TEST(SklExpectedPcrs, Tpm12HasOnlyTheSha1Bank) {
  auto e = expectedSklPcrs(kSl, 2, kDlme, true);
  EXPECT_EQ(hexBytes(e.sha1.pcr17), "bcf2943c92df8cb515a612a023ffff7b4aaba799");
  EXPECT_TRUE(e.sha256.pcr17.empty());
}

TEST(SklExpectedPcrs, EntryOffsetAndDlmeBothCount) {
  auto base = expectedSklPcrs(kSl, 2, kDlme);
  EXPECT_NE(expectedSklPcrs(kSl, 3, kDlme).sha256.pcr17, base.sha256.pcr17);
  auto other = kDlme;
  other[3] ^= 1;
  EXPECT_NE(expectedSklPcrs(kSl, 2, other).sha256.pcr17, base.sha256.pcr17);
}

}  // namespace
}  // namespace dlsim::svm::testing
