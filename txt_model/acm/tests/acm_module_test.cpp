// ACM parsing, digest, signature and the simulated SINIT. Expected values
// come from the layout facts (shared/spec/intel-txt.md §5, tboot acmod.h)
// written out here by offset, and from Botan computing hashes and RSA on
// bytes the test slices itself, not from the parser's own output.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <botan/bigint.h>
#include <botan/hash.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include "sim/errors.h"
#include "sim/le_reader.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_prelaunch_checks.h"
#include "txt_model/acm/acm_report.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {
namespace {

uint32_t rd32(const std::vector<uint8_t>& b, size_t o) { return LeReader(b, "built ACM").u32(o, "field"); }
void wr32(std::vector<uint8_t>& b, size_t o, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[o + i] = uint8_t(v >> (8 * i));
}
void wr16(std::vector<uint8_t>& b, size_t o, uint16_t v) {
  b[o] = uint8_t(v);
  b[o + 1] = uint8_t(v >> 8);
}

// A module written by hand from the layout facts: header 0.0, info table v5
// at 0x4C0, one chipset entry at 0x500, one processor entry at 0x520, a TPM
// list at 0x540 with two algorithms. 0x1000 bytes.
std::vector<uint8_t> handMadeAcm() {
  std::vector<uint8_t> b(0x1000, 0);
  wr16(b, 0x00, 2);           // ModuleType chipset
  wr32(b, 0x04, 0xA1);        // HeaderLen
  wr16(b, 0x0C, 0xB006);      // ChipsetID
  wr16(b, 0x0E, 0x8000);      // Flags: debug signed
  wr32(b, 0x10, 0x8086);      // vendor
  wr32(b, 0x14, 0x20240102);  // date
  wr32(b, 0x18, 0x1000 / 4);  // Size
  wr32(b, 0x28, 0x17);        // GDTLimit
  wr32(b, 0x2C, 0x800);       // GDTBasePtr
  wr32(b, 0x30, 0x08);        // SegSel
  wr32(b, 0x34, 0xC00);       // EntryPoint
  wr32(b, 0x78, 64);          // KeySize
  wr32(b, 0x7C, 0x8F);        // ScratchSize
  for (int i = 0; i < 256; ++i) b[0x80 + i] = uint8_t(i);       // "key"
  wr32(b, 0x180, 0x11);                                          // exponent
  for (int i = 0; i < 256; ++i) b[0x184 + i] = uint8_t(255 - i);  // "signature"
  const uint8_t uuid[16] = {0xAA, 0x3A, 0xC0, 0x7F, 0xA7, 0x46, 0xDB, 0x18,
                            0x2E, 0xAC, 0x69, 0x8F, 0x8D, 0x41, 0x7F, 0x5A};
  std::copy(uuid, uuid + 16, b.begin() + 0x4C0);
  b[0x4D0] = 1;  // SINIT
  b[0x4D1] = 5;  // version
  wr16(b, 0x4D2, 0x30);
  wr32(b, 0x4D4, 0x500);       // ChipsetIDList
  wr32(b, 0x4D8, 6);           // OsSinitDataVer
  wr32(b, 0x4DC, 0x20000);     // MinMleHeaderVer
  wr32(b, 0x4E0, 0x22);        // capabilities
  b[0x4E4] = 9;                // AcmVersion
  wr32(b, 0x4E8, 0x520);       // ProcessorIDList
  wr32(b, 0x4EC, 0x540);       // TPMInfoList
  wr32(b, 0x500, 1);
  wr32(b, 0x504, 1);           // flags
  wr16(b, 0x508, 0x8086);
  wr16(b, 0x50A, 0xB006);
  wr16(b, 0x50C, 0x3);
  wr32(b, 0x510, 0x77);
  wr32(b, 0x520, 1);
  wr32(b, 0x524, 0x806E0);
  wr32(b, 0x528, 0xFFF3FF0);
  b[0x52C + 6] = 0x1C;         // platform id 0x1c000000000000
  b[0x534 + 6] = 0x1C;         // platform mask
  wr32(b, 0x540, 0xF);
  wr16(b, 0x544, 2);
  wr16(b, 0x546, 0x4);
  wr16(b, 0x548, 0xB);
  return b;
}

std::string errorOf(const std::vector<uint8_t>& b) {
  try {
    parseAcmModule(b, "f.bin");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<uint8_t> slice(const std::vector<uint8_t>& b, size_t from, size_t to) {
  return std::vector<uint8_t>(b.begin() + from, b.begin() + to);
}

std::vector<uint8_t> sha256(const std::vector<uint8_t>& data) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  auto d = h->process(data);
  return std::vector<uint8_t>(d.begin(), d.end());
}

TEST(AcmModule, ParsesAHandMadeModuleFieldByField) {
  auto b = handMadeAcm();
  AcmModule m = parseAcmModule(b, "f.bin");
  EXPECT_EQ(m.header.moduleType, 2);
  EXPECT_EQ(m.header.headerLen, 0xA1u);
  EXPECT_EQ(m.header.chipsetId, 0xB006);
  EXPECT_TRUE(m.header.debugSigned());
  EXPECT_FALSE(m.header.preProduction());
  EXPECT_EQ(m.header.date, 0x20240102u);
  EXPECT_EQ(m.header.sizeBytes(), 0x1000u);
  EXPECT_EQ(m.header.entryPoint, 0xC00u);
  EXPECT_EQ(m.header.userAreaOffset(), 0x4C0u);
  EXPECT_TRUE(m.header.hasExponent);
  EXPECT_EQ(m.header.rsaExponent, 0x11u);
  EXPECT_EQ(m.header.rsaPublicKey, slice(b, 0x80, 0x180));
  EXPECT_EQ(m.header.rsaSignature, slice(b, 0x184, 0x284));
  EXPECT_TRUE(m.info.uuidValid());
  EXPECT_EQ(m.info.chipsetAcmType, kAcmChipsetTypeSinit);
  EXPECT_EQ(m.info.version, 5);
  EXPECT_EQ(m.info.osSinitDataVersion, 6u);
  EXPECT_EQ(m.info.capabilities, 0x22u);
  EXPECT_EQ(m.info.acmVersion, 9);
  ASSERT_EQ(m.chipsetIds.size(), 1u);
  EXPECT_EQ(m.chipsetIds[0].flags, 1u);
  EXPECT_EQ(m.chipsetIds[0].deviceId, 0xB006);
  EXPECT_EQ(m.chipsetIds[0].revisionId, 3);
  EXPECT_EQ(m.chipsetIds[0].extendedId, 0x77u);
  ASSERT_EQ(m.processorIds.size(), 1u);
  EXPECT_EQ(m.processorIds[0].fms, 0x806E0u);
  EXPECT_EQ(m.processorIds[0].platformId, 0x1C000000000000ull);
  ASSERT_TRUE(m.tpmInfo);
  EXPECT_EQ(m.tpmInfo->capabilities, 0xFu);
  EXPECT_EQ(m.tpmInfo->algorithms, (std::vector<uint16_t>{4, 0xB}));
}

TEST(AcmModule, OlderInfoTablesHaveNoProcessorOrTpmList) {
  auto b = handMadeAcm();
  b[0x4D1] = 3;
  AcmModule m = parseAcmModule(b, "f.bin");
  EXPECT_TRUE(m.processorIds.empty());
  EXPECT_FALSE(m.tpmInfo);
  b[0x4D1] = 4;
  m = parseAcmModule(b, "f.bin");
  EXPECT_EQ(m.processorIds.size(), 1u);
  EXPECT_FALSE(m.tpmInfo);
}

// Header version 3.0 (as the ADL SINIT 1.18.16 txt-acminfo dump on
// tboot-devel shows it: HeaderLen 0xE0, ScratchSize 0xD0, chipset list at
// 0x6F0 = info table 0x6C0 + 0x30): a 3072-bit key and signature, no
// exponent field, the information table at (0xE0 + 0xD0) * 4.
TEST(AcmModule, ReadsHeaderVersion3With3072BitKey) {
  std::vector<uint8_t> b(0x1000, 0);
  auto hand = handMadeAcm();
  std::copy(hand.begin(), hand.begin() + 0x80, b.begin());
  wr32(b, 0x04, 0xE0);
  wr32(b, 0x08, 0x00030000);
  wr32(b, 0x78, 96);
  wr32(b, 0x7C, 0xD0);
  for (int i = 0; i < 384; ++i) b[0x80 + i] = uint8_t(i * 3);
  for (int i = 0; i < 384; ++i) b[0x200 + i] = uint8_t(i * 5);
  std::copy(hand.begin() + 0x4C0, hand.begin() + 0x4F0, b.begin() + 0x6C0);
  wr32(b, 0x6C0 + 0x14, 0x6F0);
  wr32(b, 0x6F0, 0);
  b[0x6C0 + 0x11] = 3;
  AcmModule m = parseAcmModule(b, "v3");
  EXPECT_EQ(m.header.userAreaOffset(), 0x6C0u);
  EXPECT_FALSE(m.header.hasExponent);
  EXPECT_EQ(m.header.rsaPublicKey, slice(b, 0x80, 0x200));
  EXPECT_EQ(m.header.rsaSignature, slice(b, 0x200, 0x380));
  EXPECT_TRUE(m.info.uuidValid());
  EXPECT_EQ(m.info.chipsetIdList, 0x6F0u);
  EXPECT_TRUE(m.chipsetIds.empty());
  auto expected = slice(b, 0, 0x80);
  auto user = slice(b, 0x6C0, 0x1000);
  expected.insert(expected.end(), user.begin(), user.end());
  EXPECT_EQ(acmDigestInput(b, m.header), expected);
}

// §5: the digest covers 0x00-0x7F and 0x4C0 to the end, nothing else.
TEST(AcmDigest, HashesTheHeaderFieldsAndTheUserAreaOnly) {
  auto b = handMadeAcm();
  AcmHeader h = parseAcmHeader(b, "f.bin");
  auto expected = slice(b, 0, 0x80);
  auto user = slice(b, 0x4C0, 0x1000);
  expected.insert(expected.end(), user.begin(), user.end());
  EXPECT_EQ(acmDigestInput(b, h), expected);
  EXPECT_EQ(acmDigest(b, h, "SHA-256"), sha256(expected));
  // Key, signature and scratch changes leave it alone; a user-area change does not.
  auto d = acmDigest(b, h);
  b[0x90] ^= 1;
  b[0x200] ^= 1;
  b[0x300] ^= 1;
  EXPECT_EQ(acmDigest(b, h), d);
  b[0xFFF] ^= 1;
  EXPECT_NE(acmDigest(b, h), d);
}

TEST(AcmModule, TruncationsAndBadFieldsAreNamedErrors) {
  auto b = handMadeAcm();
  EXPECT_EQ(errorOf(slice(b, 0, 0x10)),
            "f.bin: ModuleVendor (0x4 bytes at offset 0x10) extends beyond the end of the file (size 0x10)");
  EXPECT_EQ(errorOf(slice(b, 0, 0x800)),
            "f.bin: Size at offset 0x18 (0x400 dwords = 0x1000 bytes) is larger than the module (0x800 bytes)");
  auto k = b;
  wr32(k, 0x78, 65);
  EXPECT_EQ(errorOf(k), "f.bin: KeySize at offset 0x78 is 0x41 dwords; RSA keys are 64 (2048-bit) or 96 (3072-bit)");
  auto c = b;
  wr32(c, 0x500, 0x10000000);
  EXPECT_EQ(errorOf(c),
            "f.bin: ChipsetIDList at 0x500: 268435456 entries of 16 bytes end at 0x100000504, beyond the module "
            "(Size*4 = 0x1000)");
  auto t = b;
  wr32(t, 0x4EC, 0xFFE);
  EXPECT_EQ(errorOf(t), "f.bin: TPMInfoList.capabilities (0x4 bytes at offset 0xffe) extends beyond the end of the "
                        "file (size 0x1000)");
  wr32(t, 0x4EC, 0xFFA);
  wr16(t, 0xFFE, 1);
  EXPECT_EQ(errorOf(t), "f.bin: TPMInfoList at 0xffa: 1 entries of 2 bytes end at 0x1002, beyond the module (Size*4 = "
                        "0x1000)");
  auto s = b;
  wr32(s, 0x7C, 0xFFFFFFFF);
  EXPECT_NE(errorOf(s).find("HeaderLen + ScratchSize"), std::string::npos);
}

// Every prefix and many single-byte corruptions: a module or an InputError.
TEST(AcmModule, AnyBytesGiveAModuleOrAnInputError) {
  auto b = buildSinitAcm(findTxtProfile("cfl-client-tpm2"));
  for (size_t n = 0; n < 0x600; n += 7) {
    std::vector<uint8_t> p(b.begin(), b.begin() + n);
    EXPECT_THROW(parseAcmModule(p, "p"), InputError) << n;
  }
  for (size_t off = 0; off < 0x600; ++off) {
    for (uint8_t v : {uint8_t(0x00), uint8_t(0xFF), uint8_t(0x80)}) {
      auto m = b;
      m[off] = v;
      try {
        AcmModule a = parseAcmModule(m, "m");
        (void)renderAcmReport(a, m, "m");
      } catch (const InputError&) {
      }
    }
  }
}

class SimulatedSinit : public ::testing::TestWithParam<std::string> {};

TEST_P(SimulatedSinit, CarriesTheProfilesFactsAtTheirOffsets) {
  TxtProfile p = findTxtProfile(GetParam());
  auto b = buildSinitAcm(p);
  ASSERT_EQ(b.size(), kSimSinitSize);
  EXPECT_EQ(rd32(b, 0x18) * 4, kSimSinitSize);
  EXPECT_EQ(b[0x0C] | (b[0x0D] << 8), p.sinitChipsetId);
  EXPECT_EQ(rd32(b, 0x14), p.sinitDate);
  const size_t t = (rd32(b, 0x04) + rd32(b, 0x7C)) * 4;
  EXPECT_EQ(t, 0x4C0u);
  EXPECT_EQ(b[t + 0x10], 1);  // SINIT
  EXPECT_EQ(b[t + 0x11], p.sinitInfoTableVersion);
  EXPECT_EQ(rd32(b, t + 0x20), p.sinitCapabilities);
  size_t cl = rd32(b, t + 0x14);
  EXPECT_EQ(rd32(b, cl), p.sinitChipsetIds.size());
  EXPECT_EQ(b[cl + 4 + 6] | (b[cl + 4 + 7] << 8), p.sinitChipsetIds[0].deviceId);
  size_t pl = rd32(b, t + 0x28);
  EXPECT_EQ(rd32(b, pl), p.sinitProcessorIds.size());
  EXPECT_EQ(rd32(b, pl + 4), p.sinitProcessorIds[0].fms);
  size_t tl = rd32(b, t + 0x2C);
  EXPECT_EQ(rd32(b, tl), p.tpmCapabilities);
  // GDT: selector 0x08 is a flat 32-bit code segment.
  size_t gdt = rd32(b, 0x2C);
  EXPECT_EQ(rd32(b, gdt + 8), 0x0000FFFFu);
  EXPECT_EQ(rd32(b, gdt + 12), 0x00CF9B00u);
  EXPECT_EQ(rd32(b, 0x30), 0x08u);
  EXPECT_LT(rd32(b, 0x34), kSimSinitSize);
}

TEST_P(SimulatedSinit, TbootsChecksAcceptItOnItsPlatformOnly) {
  TxtProfile p = findTxtProfile(GetParam());
  auto b = buildSinitAcm(p);
  AcmModule m = parseAcmModule(b, "sinit");
  EXPECT_EQ(preLaunchSinitProblems(m, b.size(), p), std::vector<std::string>{});
  for (const auto& other : shippedTxtProfiles()) {
    if (other == GetParam()) continue;
    auto problems = preLaunchSinitProblems(m, b.size(), findTxtProfile(other));
    ASSERT_FALSE(problems.empty()) << other;
    EXPECT_EQ(problems[0].rfind("chipset id:", 0), 0u) << problems[0];
  }
  TxtProfile cpu = p;
  cpu.cpuidSignature = 0x000A0650;  // a processor in no shipped list
  auto problems = preLaunchSinitProblems(m, b.size(), cpu);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("processor id:", 0), 0u);
  TxtProfile debug = p;
  debug.verQpiif &= 0x7FFFFFFF;  // a debug-fused chipset wants a debug-signed ACM
  EXPECT_EQ(preLaunchSinitProblems(m, b.size(), debug).size(), 1u);
}

// The signature verifies with Botan under the modulus and exponent the
// header holds, over the digest input sliced here by offset.
TEST_P(SimulatedSinit, SignatureVerifiesUnderTheHeaderKey) {
  auto b = buildSinitAcm(findTxtProfile(GetParam()));
  auto modLe = slice(b, 0x80, 0x180);
  std::vector<uint8_t> modBe(modLe.rbegin(), modLe.rend());
  Botan::RSA_PublicKey pub(Botan::BigInt(modBe.data(), modBe.size()), Botan::BigInt(rd32(b, 0x180)));
  EXPECT_EQ(pub.get_n().bits(), 2048u);
  auto sigLe = slice(b, 0x184, 0x284);
  std::vector<uint8_t> sigBe(sigLe.rbegin(), sigLe.rend());
  auto msg = slice(b, 0, 0x80);
  auto user = slice(b, 0x4C0, b.size());
  msg.insert(msg.end(), user.begin(), user.end());
  Botan::PK_Verifier v(pub, "EMSA3(SHA-256)");
  EXPECT_TRUE(v.verify_message(msg, sigBe));
  AcmHeader h = parseAcmHeader(b, "s");
  EXPECT_TRUE(acmVerifySignature(h.rsaPublicKey, h.rsaExponent, msg, h.rsaSignature));
  msg.back() ^= 1;
  EXPECT_FALSE(acmVerifySignature(h.rsaPublicKey, h.rsaExponent, msg, h.rsaSignature));
  // TXT.PUBLIC.KEY: SHA-256 of the stored modulus bytes.
  auto pk = dlsimTxtPublicKey();
  EXPECT_EQ(std::vector<uint8_t>(pk.begin(), pk.end()), sha256(modLe));
}

TEST_P(SimulatedSinit, IsTheSameBytesEveryTime) {
  TxtProfile p = findTxtProfile(GetParam());
  EXPECT_EQ(buildSinitAcm(p), buildSinitAcm(p));
}

INSTANTIATE_TEST_SUITE_P(Shipped, SimulatedSinit, ::testing::ValuesIn(shippedTxtProfiles()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(AcmReport, PrintsTxtAcminfosFieldsAndTheDigest) {
  auto b = handMadeAcm();
  AcmModule m = parseAcmModule(b, "f.bin");
  std::string r = renderAcmReport(m, b, "f.bin");
  for (const char* line : {"\t type: 0x2 (ACM_TYPE_CHIPSET)\n", "\t chipset_id: 0xb006\n", "\t\t debug_signed: 1\n",
                           "\t date: 0x20240102\n", "\t size*4: 0x1000 (4096)\n",
                           "\t entry point: 0x00000008:00000c00\n", "\t\t chipset_acm_type: 0x1 (SINIT)\n",
                           "\t\t version: 5\n", "\t\t capabilities: 0x00000022\n", "\t\t     rlp_wake_monitor: 1\n",
                           "\t\t     pcr_map_da: 1\n", "\t\t     device_id: 0xb006\n", "\t\t     fms: 0x806e0\n",
                           "\t\t     platform_id: 0x1c000000000000\n", "\t\t      tpm_family : 0x3\n",
                           "\t\t     alg_id: 0xb\n", "\t RSA public key exponent: 0x00000011\n"})
    EXPECT_NE(r.find(line), std::string::npos) << line;
  auto expected = slice(b, 0, 0x80);
  auto user = slice(b, 0x4C0, 0x1000);
  expected.insert(expected.end(), user.begin(), user.end());
  auto d = sha256(expected);
  std::string hexd;
  for (uint8_t x : d) {
    char s[3];
    snprintf(s, 3, "%02x", x);
    hexd += s;
  }
  EXPECT_NE(r.find(hexd), std::string::npos);
}

}  // namespace
}  // namespace dlsim::txt
