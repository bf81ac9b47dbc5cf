// The BIOS ACM stand-in (bios_acm_builder.h): a chipset module whose
// information table says BIOS ACM, with the code at the entry point 0x1000,
// its size grown in 4 KiB steps for larger code (bounded by the AC execution
// area), and a signature that verifies over the ACM digest input under the
// key whose hash is the platform's PUBLIC.KEY (checked with the signing
// key's verifier, not by re-running the builder).
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/acm/bios_acm_builder.h"

namespace dlsim::txt {
namespace {

TxtProfile profile() {
  TxtProfile p;
  p.name = "test";
  p.didvid = 0x00000001b0068086ull;
  p.maxAcmSize = 0x10000;
  p.sinitInfoTableVersion = 6;
  AcmChipsetId id;
  id.deviceId = 0xb006;
  p.sinitChipsetIds = {id};
  p.sinitProcessorIds = {AcmProcessorId{}};
  return p;
}

TEST(BiosAcmStandIn, IsASignedBiosAcmWithTheCodeAtItsEntryPoint) {
  const std::vector<uint8_t> code = {0x90, 0x0f, 0x0b};
  const auto acm = buildBiosAcmStandIn(profile(), code);
  ASSERT_EQ(acm.size(), 0x8000u);
  const AcmModule m = parseAcmModule(acm, "stand-in");
  EXPECT_EQ(m.header.moduleType, 2);
  EXPECT_EQ(m.header.sizeBytes(), 0x8000u);
  EXPECT_EQ(m.header.entryPoint, 0x1000u);
  EXPECT_EQ(m.info.chipsetAcmType, 0);  // BIOS ACM
  EXPECT_TRUE(m.info.uuidValid());
  EXPECT_EQ(std::vector<uint8_t>(acm.begin() + 0x1000, acm.begin() + 0x1003), code);
  EXPECT_EQ(acm[0x1003], 0);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(acm.data() + 0x900)), "DLSIM-BIOS-ACM profile=test");
  EXPECT_EQ(txtPublicKeyHash(m.header.rsaPublicKey), dlsimTxtPublicKey());
  EXPECT_TRUE(acmVerifySignature(m.header.rsaPublicKey, m.header.rsaExponent, acmDigestInput(acm, m.header),
                                 m.header.rsaSignature));
  auto changed = acm;
  changed[0x1000] ^= 1;
  EXPECT_FALSE(acmVerifySignature(m.header.rsaPublicKey, m.header.rsaExponent,
                                  acmDigestInput(changed, m.header), m.header.rsaSignature));
}

TEST(BiosAcmStandIn, WritesAndSignsTheSegSelItIsGiven) {
  const std::vector<uint8_t> code = {0x0f, 0x0b};
  EXPECT_EQ(parseAcmHeader(buildBiosAcmStandIn(profile(), code), "stand-in").segSel, 0x08u);
  const auto acm = buildBiosAcmStandIn(profile(), code, 0x10);
  // SegSel is the u32 at header offset 0x30 (SDM vol. 2D GETSEC[ENTERACCS], AC module header).
  EXPECT_EQ(std::vector<uint8_t>(acm.begin() + 0x30, acm.begin() + 0x34), (std::vector<uint8_t>{0x10, 0, 0, 0}));
  const AcmHeader h = parseAcmHeader(acm, "stand-in");
  EXPECT_EQ(h.segSel, 0x10u);
  EXPECT_EQ(h.gdtLimit, 0x17u);  // null, code, data: SegSel 0x10 + 15 lies beyond it
  EXPECT_TRUE(acmVerifySignature(h.rsaPublicKey, h.rsaExponent, acmDigestInput(acm, h), h.rsaSignature));
}

TEST(BiosAcmStandIn, GrowsForLargerCodeWithinTheAcExecutionArea) {
  const auto acm = buildBiosAcmStandIn(profile(), std::vector<uint8_t>(0x7001, 0x90));
  EXPECT_EQ(acm.size(), 0x9000u);
  EXPECT_EQ(parseAcmHeader(acm, "stand-in").sizeBytes(), 0x9000u);
  EXPECT_THROW(buildBiosAcmStandIn(profile(), std::vector<uint8_t>(0xF001, 0x90)), InputError);
}

}  // namespace
}  // namespace dlsim::txt
