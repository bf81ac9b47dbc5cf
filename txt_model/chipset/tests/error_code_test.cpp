// TXT.ERRORCODE decoding. Expected fields come from the spec notes' layout
// (§8: valid 31, software 30, ACM type [3:0], class [9:4], major [14:10],
// source 15, minor [27:16]), worked out by hand per value below.
#include <gtest/gtest.h>

#include "txt_model/chipset/error_code.h"

namespace dlsim::txt {
namespace {

TEST(TxtErrorCode, ZeroIsNoError) {
  const TxtErrorDecoding d = decodeTxtErrorCode(0);
  EXPECT_FALSE(d.valid);
  EXPECT_EQ(d.source, TxtErrorSource::None);
  EXPECT_EQ(d.summary, "no error recorded");
}

TEST(TxtErrorCode, SuccessValues) {
  for (uint32_t v : {0xC0000001u, 0xC0000009u}) {
    const TxtErrorDecoding d = decodeTxtErrorCode(v);
    EXPECT_TRUE(d.valid);
    EXPECT_TRUE(d.success) << std::hex << v;
    EXPECT_EQ(d.summary, "success");
  }
}

// A real SINIT error from a tboot-devel txt-stat dump: 0xc0003c11 =
// 1100 0000 0000 0000 0011 1100 0001 0001: type 0001 (SINIT), class
// 000001, major 01111, source 0 (ACM), minor 0.
TEST(TxtErrorCode, SinitErrorFields) {
  const TxtErrorDecoding d = decodeTxtErrorCode(0xc0003c11u);
  EXPECT_TRUE(d.valid);
  EXPECT_FALSE(d.success);
  EXPECT_EQ(d.source, TxtErrorSource::Acm);
  EXPECT_EQ(d.acmType, 1u);
  EXPECT_EQ(d.acmClass, 1u);
  EXPECT_EQ(d.acmMajor, 15u);
  EXPECT_EQ(d.acmMinor, 0u);
  EXPECT_FALSE(d.tpmError);
  EXPECT_EQ(d.summary, "SINIT ACM error: class 0x1, major 0xf, minor 0x0");
}

TEST(TxtErrorCode, BiosAcmTypeAndMinor) {
  // type 0 (BIOS), class 0x3F, major 0x1F, minor 0xABC.
  const uint32_t v = 0xC0000000u | (0xABCu << 16) | (0x1Fu << 10) | (0x3Fu << 4) | 0u;
  const TxtErrorDecoding d = decodeTxtErrorCode(v);
  EXPECT_EQ(d.source, TxtErrorSource::Acm);
  EXPECT_EQ(d.acmType, 0u);
  EXPECT_EQ(d.acmClass, 0x3Fu);
  EXPECT_EQ(d.acmMajor, 0x1Fu);
  EXPECT_EQ(d.acmMinor, 0xABCu);
  EXPECT_EQ(d.summary, "BIOS ACM error: class 0x3f, major 0x1f, minor 0xabc");
}

TEST(TxtErrorCode, TpmErrorInsideAnAcmError) {
  // Progress 0x0D with error 0x0A: bits 24:16 are the TPM's error.
  const uint32_t v = 0xC0000000u | (0x1C3u << 16) | (0x0Au << 10) | (0x0Du << 4) | 1u;
  const TxtErrorDecoding d = decodeTxtErrorCode(v);
  ASSERT_TRUE(d.tpmError);
  EXPECT_EQ(*d.tpmError, 0x1C3u);
  EXPECT_NE(d.summary.find("TPM error 0x1c3"), std::string::npos) << d.summary;
}

TEST(TxtErrorCode, LaunchControlPolicyClass) {
  const uint32_t v = 0xC0000000u | (0x10u << 4) | 1u;
  EXPECT_NE(decodeTxtErrorCode(v).summary.find("launch control policy"), std::string::npos);
}

TEST(TxtErrorCode, MleErrorsAreNamed) {
  // bit 15 = 1: the MLE's code in [14:0].
  const TxtErrorDecoding lo = decodeTxtErrorCode(0xC0008016u);
  EXPECT_EQ(lo.source, TxtErrorSource::Mle);
  EXPECT_EQ(lo.mleCode, 0x16u);
  EXPECT_EQ(lo.name, "SL_ERROR_LO_PMR_BASE");
  EXPECT_EQ(decodeTxtErrorCode(0xC0008001u).name, "SL_ERROR_GENERIC");
  EXPECT_EQ(decodeTxtErrorCode(0xC000800Cu).name, "SL_ERROR_INV_AP_INTERRUPT");
  const TxtErrorDecoding unknown = decodeTxtErrorCode(0xC0008123u);
  EXPECT_EQ(unknown.mleCode, 0x123u);
  EXPECT_EQ(unknown.name, "");
  EXPECT_EQ(unknown.summary, "MLE error 0x123");
}

TEST(TxtErrorCode, ProcessorErrors) {
  // bit 30 = 0: the processor's TXT shutdown type in [29:0].
  const TxtErrorDecoding d = decodeTxtErrorCode(0x80000007u);
  EXPECT_TRUE(d.valid);
  EXPECT_EQ(d.source, TxtErrorSource::Processor);
  EXPECT_EQ(d.processorType, 7u);
  EXPECT_EQ(d.name, "AuthenticateFail");
  EXPECT_EQ(d.summary, "processor error 7: AuthenticateFail");
  EXPECT_EQ(decodeTxtErrorCode(0x8000000Bu).name, "BadJOINFormat");
  EXPECT_EQ(decodeTxtErrorCode(0x8000000Cu).name, "UnrecovMCError");
  EXPECT_EQ(decodeTxtErrorCode(0x80000005u).name, "BadACMMType");
}

TEST(TxtErrorCode, InvalidBitIsSaid) {
  const TxtErrorDecoding d = decodeTxtErrorCode(0x40008016u);  // software, MLE, valid clear
  EXPECT_FALSE(d.valid);
  EXPECT_NE(d.summary.find("valid bit 31 clear"), std::string::npos);
}

}  // namespace
}  // namespace dlsim::txt
