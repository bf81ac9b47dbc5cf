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
// dwords, KeySize 0x40 dwords and ScratchSize 0x8F: key 0x80..0x17F, user
// area 0x4C0..0x5FF (as expected_pcrs_literals.py's acm()).
Bytes syntheticAcm() {
  Bytes b(0x600);
  for (size_t i = 0; i < b.size(); ++i) b[i] = uint8_t((i * 7 + 3) & 0xFF);
  putLe32(b, 0x04, 0xA1);
  putLe32(b, 0x18, 0x180);
  putLe32(b, 0x78, 0x40);
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
            "7e45a8ca650764f724c26ad0d5baf433936c77afe5fe42c136a5fc1b27e9d863");

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
            "7e45a8ca650764f724c26ad0d5baf433936c77afe5fe42c136a5fc1b27e9d863"
            "44332211");
  in.acmDigestBank = Bank::kSha1;
  EXPECT_EQ(hashStartData(in).size(), 24u);
}

TEST(ExpectedPcrs, Pcr17AfterHashEnd) {
  LaunchInputs in;
  in.acm = syntheticAcm();
  // expected_pcrs_literals.py: H(0^n || H(sha256(acm digest input) || LE32 0))
  const PcrPair sha1 = afterHashEnd(Bank::kSha1, in);
  EXPECT_EQ(toHex(sha1.pcr17), "9cc9777cb5b2498e25e788b032d87e352f842a7e");
  EXPECT_EQ(sha1.pcr18, Bytes(20, 0));
  const PcrPair sha256 = afterHashEnd(Bank::kSha256, in);
  EXPECT_EQ(toHex(sha256.pcr17), "ffaca177be52ac57917d309aa49db94bacc57323e74d901653ead3ee5554436c");
  EXPECT_EQ(sha256.pcr18, Bytes(32, 0));
}

TEST(ExpectedPcrs, PublicKeyModulusIsKeySizeDwordsAt0x80) {
  const Bytes acm = syntheticAcm();
  const Bytes modulus = acmPublicKeyModulus(acm);
  ASSERT_EQ(modulus.size(), 0x100u);
  EXPECT_TRUE(std::equal(modulus.begin(), modulus.end(), acm.begin() + 0x80));
  Bytes bad = acm;
  putLe32(bad, 0x78, 0x161);  // 0x584 bytes of key from 0x80: past the 0x600-byte file
  EXPECT_THROW(acmPublicKeyModulus(bad), CalcError);
  putLe32(bad, 0x78, 0);
  EXPECT_THROW(acmPublicKeyModulus(bad), CalcError);
}

TEST(ExpectedPcrs, MappingFromOsSinitCapabilitiesOnTpm12) {
  EXPECT_EQ(mappingFor(0x22, TpmFamily::kTpm12), Mapping::kDetailsAuthorities);  // bit 5
  EXPECT_EQ(mappingFor(0x11, TpmFamily::kTpm12), Mapping::kDetailsAuthorities);  // bit 4
  EXPECT_EQ(mappingFor(0x203, TpmFamily::kTpm12), Mapping::kLegacy);
}

// TPM 2.0: details/authorities even with bits 4 and 5 clear (as tboot 1.10
// leaves them on TPM 2.0).
TEST(ExpectedPcrs, MappingOnTpm20IsAlwaysDetailsAuthorities) {
  for (uint32_t caps : {0x0u, 0x2u, 0x203u, 0x22u, 0x11u, 0xFFFFFFCFu})
    EXPECT_EQ(mappingFor(caps, TpmFamily::kTpm20), Mapping::kDetailsAuthorities) << caps;
}

LaunchInputs smallLaunch(uint32_t caps, TpmFamily family = TpmFamily::kTpm12) {
  LaunchInputs in;
  in.acm = syntheticAcm();
  in.mle = ascii("MLE!MLE!MLE!MLE!");
  in.osSinitCaps = caps;
  in.mapping = mappingFor(caps, family);
  return in;
}

TEST(ExpectedPcrs, DetailsAuthoritiesMapping) {
  // expected_pcrs_literals.py, caps 0x22, EDX 0, MLE "MLE!" x 4: PCR 17
  // BIOSAC_REG_DATA, CPU_SCRTM_STAT, LCP_DETAILS_HASH, STM_HASH,
  // OSSINITDATA_CAP_HASH, MLE_HASH, NV_INFO_HASH; PCR 18 SINIT_PUBKEY_HASH,
  // CPU_SCRTM_STAT, OSSINITDATA_CAP_HASH, LCP_AUTHORITIES_HASH, NV_INFO_HASH.
  const LaunchInputs in = smallLaunch(0x22);
  const PcrPair sha1 = launchPcrs(Bank::kSha1, in);
  EXPECT_EQ(toHex(sha1.pcr17), "e2a4549de9c41e204295d11d798351c9b2a9ad44");
  EXPECT_EQ(toHex(sha1.pcr18), "8598de8ee943b7a5de6904c60c5f09d080e6b7c7");
  const PcrPair sha256 = launchPcrs(Bank::kSha256, in);
  EXPECT_EQ(toHex(sha256.pcr17), "b0017c74bcab0cda9247729865182df11a70d96b3d8a7846495be0723caa911d");
  EXPECT_EQ(toHex(sha256.pcr18), "61b1f7475fdbfeca7a8b208f85184fec94c3bfddfcad5aedc60c2678cb077ed5");
  // The event list: 7 extends of PCR 17, then 5 of PCR 18.
  const auto events = sinitMeasurements(in);
  ASSERT_EQ(events.size(), 12u);
  EXPECT_EQ(events[5].name, "MLE_HASH");
  EXPECT_EQ(events[7].name, "SINIT_PUBKEY_HASH");
  EXPECT_EQ(events[7].pcr, 18u);
}

TEST(ExpectedPcrs, LegacyMapping) {
  // expected_pcrs_literals.py, caps 0x02: PCR 17 BIOSAC_REG_DATA,
  // CPU_SCRTM_STAT, OSSINITDATA_CAP_HASH, LCP_CONTROL_HASH, STM_HASH; PCR 18
  // MLE_HASH alone.
  const LaunchInputs in = smallLaunch(0x02);
  ASSERT_EQ(in.mapping, Mapping::kLegacy);
  const PcrPair sha1 = launchPcrs(Bank::kSha1, in);
  EXPECT_EQ(toHex(sha1.pcr17), "8f6a30f419c20549ee4efd041c2b794c9e2c3176");
  EXPECT_EQ(toHex(sha1.pcr18), "b43c134e22ee2ad4cb710ee2b318b196bc8351b9");
  const PcrPair sha256 = launchPcrs(Bank::kSha256, in);
  EXPECT_EQ(toHex(sha256.pcr17), "f1361dd0957775e891c6f6a69c11a8006321731ed654574a0206d8c28a67bd55");
  EXPECT_EQ(toHex(sha256.pcr18), "c40e283f3b0889c0896272658745d35896bec461e9f67baeeb11a95cac9d3305");
}

// On TPM 2.0 the capabilities 0x02 (bits 4 and 5 clear) still get the
// details/authorities list: 7 extends of PCR 17 (MLE_HASH among them), 5 of
// PCR 18, the capabilities hashed as they are.
TEST(ExpectedPcrs, Tpm20WithoutMappingBitsUsesDetailsAuthorities) {
  const LaunchInputs in = smallLaunch(0x02, TpmFamily::kTpm20);
  ASSERT_EQ(in.mapping, Mapping::kDetailsAuthorities);
  const auto events = sinitMeasurements(in);
  ASSERT_EQ(events.size(), 12u);
  EXPECT_EQ(events[5].name, "MLE_HASH");
  EXPECT_EQ(events[5].pcr, 17u);
  EXPECT_EQ(events[7].name, "SINIT_PUBKEY_HASH");
  EXPECT_EQ(events[4].name, "OSSINITDATA_CAP_HASH");
  EXPECT_EQ(events[4].data, (Bytes{0x02, 0, 0, 0}));
}

TEST(ExpectedPcrs, EveryMeasuredInputChangesTheResult) {
  const LaunchInputs base = smallLaunch(0x22);
  const PcrPair ref = launchPcrs(Bank::kSha256, base);
  LaunchInputs in = base;
  in.mle.back() ^= 1;
  EXPECT_NE(launchPcrs(Bank::kSha256, in).pcr17, ref.pcr17);
  EXPECT_EQ(launchPcrs(Bank::kSha256, in).pcr18, ref.pcr18);
  in = base;
  in.senterEdx = 1;
  EXPECT_NE(launchPcrs(Bank::kSha256, in).pcr17, ref.pcr17);
  in = base;
  in.osSinitCaps = 0x23;
  EXPECT_NE(launchPcrs(Bank::kSha256, in).pcr17, ref.pcr17);
  EXPECT_NE(launchPcrs(Bank::kSha256, in).pcr18, ref.pcr18);
  in = base;
  in.acm[0x100] ^= 1;  // the key: PCR 18 only (the digest leaves the key out)
  EXPECT_EQ(launchPcrs(Bank::kSha256, in).pcr17, ref.pcr17);
  EXPECT_NE(launchPcrs(Bank::kSha256, in).pcr18, ref.pcr18);
}

}  // namespace
}  // namespace txtcheck

namespace txtcheck {
namespace {

const uint8_t kMleUuid[16] = {0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74,
                              0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42};

// An image with 0x100 bytes of prelude, then an MLE header (start 0, end
// 0x40, caps 0x227) at 0x100 and 0x40 bytes of MLE in all, then a tail.
Bytes imageWithMle() {
  Bytes img(0x200, 0xCC);
  std::copy(kMleUuid, kMleUuid + 16, img.begin() + 0x100);
  const uint32_t fields[] = {0x34, 0x20001, 0x10, 0, 0, 0x40, 0x227};
  for (size_t i = 0; i < 7; ++i) putLe32(img, 0x110 + 4 * i, fields[i]);
  return img;
}

TEST(ExpectedPcrsInputs, MleFoundByItsHeader) {
  const Bytes img = imageWithMle();
  ASSERT_EQ(findMleHeader(img), 0x100);
  EXPECT_EQ(findMleHeader(Bytes(0x40, 0)), -1);
  const Bytes mle = mleFromImage(img, 0x100, 0);
  ASSERT_EQ(mle.size(), 0x40u);
  EXPECT_TRUE(std::equal(mle.begin(), mle.end(), img.begin() + 0x100));
  // The header at linear 0x10 of the MLE: the MLE starts 0x10 bytes earlier.
  const Bytes shifted = mleFromImage(img, 0x100, 0x10);
  EXPECT_TRUE(std::equal(shifted.begin(), shifted.end(), img.begin() + 0xF0));
  EXPECT_EQ(mleHeaderCapabilities(img, 0x100), 0x227u);
  // End offset past the image, end before start, base before the image.
  Bytes bad = img;
  putLe32(bad, 0x124, 0x1000);
  EXPECT_THROW(mleFromImage(bad, 0x100, 0), CalcError);
  bad = img;
  putLe32(bad, 0x120, 0x40);
  EXPECT_THROW(mleFromImage(bad, 0x100, 0), CalcError);
  EXPECT_THROW(mleFromImage(img, 0x100, 0x101), CalcError);
  EXPECT_THROW(mleFromImage(img, 0x1F0, 0), CalcError);
}

TEST(ExpectedPcrsInputs, AcmRecognisedWithItsInformationTable) {
  Bytes acm = syntheticAcm();
  EXPECT_FALSE(looksLikeAcm(acm));
  putLe32(acm, 0x00, 2);       // ModuleType 2, SubType 0
  putLe32(acm, 0x10, 0x8086);  // ModuleVendor
  EXPECT_TRUE(looksLikeAcm(acm));
  EXPECT_THROW(acmInfoCapabilities(acm), CalcError);  // no UUID at 0x4C0
  const uint8_t infoUuid[16] = {0xAA, 0x3A, 0xC0, 0x7F, 0xA7, 0x46, 0xDB, 0x18,
                                0x2E, 0xAC, 0x69, 0x8F, 0x8D, 0x41, 0x7F, 0x5A};
  std::copy(infoUuid, infoUuid + 16, acm.begin() + 0x4C0);
  putLe32(acm, 0x4C0 + 0x20, 0x223);
  EXPECT_EQ(acmInfoCapabilities(acm), 0x223u);
}

TEST(ExpectedPcrsInputs, OsSinitCapabilitiesAsTbootPicksThem) {
  // MLE header 0x227 (GETSEC, MONITOR, ECX, DA, TCG log), by hand:
  // SINIT 0x223 (no ECX): 0x004 kept from the header, +MONITOR 0x002,
  // +DA 0x020, +TCG 0x200, ECX dropped -> 0x222.
  EXPECT_EQ(tbootOsSinitCapabilities(0x227, 0x223), 0x222u);
  // SINIT offering everything: ECX kept -> 0x226.
  EXPECT_EQ(tbootOsSinitCapabilities(0x227, 0x227), 0x226u);
  // SINIT with GETSEC wake-up only: GETSEC, nothing else -> 0x001.
  EXPECT_EQ(tbootOsSinitCapabilities(0x227, 0x001), 0x001u);
  // Header bits tboot keeps (STM 3, no-legacy 4, platform type 7:6) stay.
  EXPECT_EQ(tbootOsSinitCapabilities(0x0D8, 0x005), 0x0D9u);  // + GETSEC
}

}  // namespace
}  // namespace txtcheck
