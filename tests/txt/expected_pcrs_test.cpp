// Unit tests of the independent PCR calculator on inputs a person can check
// by hand. Every literal was computed once with Python's hashlib (the
// one-liner or tests/txt/expected_pcrs_literals.py, which builds the same
// inputs), never by the calculator or by dlsim.
#include <gtest/gtest.h>

#include <string>

#include "tests/txt/expected_pcrs.h"

namespace txtcheck {
namespace {

Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }

void putLe32(Bytes& b, size_t off, uint32_t v) {
  const Bytes le = le32(v);
  std::copy(le.begin(), le.end(), b.begin() + off);
}

// 0x600 bytes of b[i] = (i*7+3) & 0xFF with HeaderLen 0xA1, Size 0x180
// dwords and ScratchSize 0x8F: user area 0x4C0..0x600 (as
// expected_pcrs_literals.py's acm()).
Bytes syntheticAcm() {
  Bytes b(0x600);
  for (size_t i = 0; i < b.size(); ++i) b[i] = uint8_t((i * 7 + 3) & 0xFF);
  putLe32(b, 0x04, 0xA1);
  putLe32(b, 0x18, 0x180);
  putLe32(b, 0x7C, 0x8F);
  return b;
}

TEST(ExpectedPcrs, ExtendIsHashOfOldAndDigest) {
  // python3 -c "import hashlib as h;print(h.sha1(bytes(20)+h.sha1(b'abc').digest()).hexdigest())"
  EXPECT_EQ(toHex(extend(Bank::kSha1, Bytes(20, 0), hashOf(Bank::kSha1, ascii("abc")))),
            "ccd5bd41458de644ac34a2478b58ff819bef5acf");
  // python3 -c "import hashlib as h;print(h.sha256(bytes(32)+h.sha256(b'abc').digest()).hexdigest())"
  EXPECT_EQ(toHex(extend(Bank::kSha256, Bytes(32, 0), hashOf(Bank::kSha256, ascii("abc")))),
            "589f9ffed4c477966bfb8d41f37895b08c69047df8f911d6f3b57fbe08faee8d");
}

TEST(ExpectedPcrs, ExtendRefusesWrongSizes) {
  EXPECT_THROW(extend(Bank::kSha256, Bytes(20, 0), Bytes(32, 0)), CalcError);
  EXPECT_THROW(extend(Bank::kSha1, Bytes(20, 0), Bytes(32, 0)), CalcError);
}

TEST(ExpectedPcrs, LittleEndianFields) {
  EXPECT_EQ(toHex(le32(0x12345678)), "78563412");
  EXPECT_EQ(toHex(le64(0x0102030405060708ull)), "0807060504030201");
}

TEST(ExpectedPcrs, AcmDigestCoversHeaderAndUserAreaOnly) {
  const Bytes acm = syntheticAcm();
  const Bytes input = acmDigestInput(acm);
  ASSERT_EQ(input.size(), 0x80u + (0x600u - 0x4C0u));
  EXPECT_TRUE(std::equal(acm.begin(), acm.begin() + 0x80, input.begin()));
  EXPECT_TRUE(std::equal(acm.begin() + 0x4C0, acm.end(), input.begin() + 0x80));
  // expected_pcrs_literals.py: sha256(a[:0x80] + a[0x4C0:0x600])
  EXPECT_EQ(toHex(hashOf(Bank::kSha256, input)),
            "cb7eb7195702d8c4950c30fc1b44e53b3f7d6f16bacfbc65dfc10bac62af0b5a");

  // The key, signature and scratch area (0x80..0x4BF) are not measured...
  Bytes resigned = acm;
  for (size_t i = 0x80; i < 0x4C0; ++i) resigned[i] ^= 0x5A;
  EXPECT_EQ(acmDigestInput(resigned), input);
  // ...the user area and the header fields are.
  Bytes patched = acm;
  patched[0x5FF] ^= 1;
  EXPECT_NE(acmDigestInput(patched), input);
  patched = acm;
  patched[0x20] ^= 1;
  EXPECT_NE(acmDigestInput(patched), input);
  // Bytes past Size*4 (file padding) are not.
  Bytes padded = acm;
  padded.resize(0x800, 0xEE);
  EXPECT_EQ(acmDigestInput(padded), input);
}

TEST(ExpectedPcrs, AcmWhoseSizesDoNotFitIsRefused) {
  EXPECT_THROW(acmDigestInput(Bytes(0x7F, 0)), CalcError);
  Bytes acm = syntheticAcm();
  putLe32(acm, 0x18, 0x181);  // one dword past the file
  EXPECT_THROW(acmDigestInput(acm), CalcError);
  acm = syntheticAcm();
  putLe32(acm, 0x7C, 0xDF);  // (0xA1 + 0xDF) * 4 = 0x600: no user area
  EXPECT_THROW(acmDigestInput(acm), CalcError);
  acm = syntheticAcm();
  putLe32(acm, 0x04, 0xFFFFFFFF);  // no wrap-around in the dword arithmetic
  EXPECT_THROW(acmDigestInput(acm), CalcError);
}

TEST(ExpectedPcrs, HashStartDataIsAcmDigestThenEdx) {
  LaunchInputs in;
  in.acm = syntheticAcm();
  in.senterEdx = 0x11223344;
  const Bytes data = hashStartData(in);
  ASSERT_EQ(data.size(), 36u);
  EXPECT_EQ(toHex(data),
            "cb7eb7195702d8c4950c30fc1b44e53b3f7d6f16bacfbc65dfc10bac62af0b5a"
            "44332211");
  in.acmDigestBank = Bank::kSha1;
  EXPECT_EQ(hashStartData(in).size(), 24u);
}

TEST(ExpectedPcrs, Pcr17AfterHashEnd) {
  LaunchInputs in;
  in.acm = syntheticAcm();
  // expected_pcrs_literals.py: H(0^n || H(sha256(acm digest input) || LE32 0))
  const PcrPair sha1 = afterHashEnd(Bank::kSha1, in);
  EXPECT_EQ(toHex(sha1.pcr17), "0d3d36e172482e4d2112fa0342230f99b871e62c");
  EXPECT_EQ(sha1.pcr18, Bytes(20, 0));
  const PcrPair sha256 = afterHashEnd(Bank::kSha256, in);
  EXPECT_EQ(toHex(sha256.pcr17), "fb0b9168e2ac47a9fc68de2633d452b14ffa01b531b71376b6dc4f56208e046c");
  EXPECT_EQ(sha256.pcr18, Bytes(32, 0));
}

}  // namespace
}  // namespace txtcheck
