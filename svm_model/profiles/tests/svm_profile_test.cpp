// AMD platform profiles: the shipped files load with the facts they state,
// the CPUID signature follows the APM's composition, and bad files are
// refused naming the file, the JSON pointer and the value.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "svm_model/profiles/svm_profile.h"

namespace dlsim::svm {
namespace {

std::string error(const std::string& text) {
  try {
    parseSvmProfile(text, "p.json", "p");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

const char* kGood = R"({"description": "d", "cpu": {"vendor": "AuthenticAMD", "family": "0x17", "model": "0x71",
  "stepping": 0, "svm": {"revision": 1, "asids": 32768, "features": "0x1b4ff"}},
  "chipset": {"dma_protection": "sl_dev", "iommu": true}})";

TEST(SvmProfile, ShippedProfilesLoad) {
  EXPECT_EQ(shippedSvmProfiles(), (std::vector<std::string>{"apu2-gx412tc", "epyc3251-zen"}));
  const SvmProfile apu = findSvmProfile("apu2-gx412tc");
  EXPECT_EQ(apu.family, 0x16u);
  EXPECT_EQ(apu.model, 0x30u);
  EXPECT_EQ(apu.cpuidSignature(), 0x00730F01u);  // as Linux shows the GX-412TC
  EXPECT_EQ(apu.dmaProtection, DmaProtectionKind::Dev);
  EXPECT_TRUE(apu.skinit);
  const SvmProfile zen = findSvmProfile("epyc3251-zen");
  EXPECT_EQ(zen.cpuidSignature(), 0x00800F12u);  // family 17h model 01h stepping 2
  EXPECT_EQ(zen.dmaProtection, DmaProtectionKind::SlDev);
  EXPECT_TRUE(zen.iommu);
  EXPECT_EQ(zen.asids, 32768u);
  EXPECT_FALSE(zen.description.empty());
  EXPECT_FALSE(zen.source.empty());
}

TEST(SvmProfile, ParsesEveryField) {
  const SvmProfile p = parseSvmProfile(kGood, "p.json", "zen2");
  EXPECT_EQ(p.name, "zen2");
  EXPECT_EQ(p.cpuidSignature(), 0x00870F10u);  // family 17h (F + 8), model 71h, stepping 0
  EXPECT_EQ(p.svmRevision, 1u);
  EXPECT_EQ(p.svmFeatures, 0x1B4FFu);
  EXPECT_STREQ(dmaProtectionName(p.dmaProtection), "sl_dev");
}

TEST(SvmProfile, ErrorsNameFilePointerAndValue) {
  std::string s = kGood;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = s;
    t.replace(t.find(from), from.size(), to);
    return error(t);
  };
  std::string e = with("\"AuthenticAMD\"", "\"GenuineIntel\"");
  EXPECT_NE(e.find("p.json: /cpu/vendor: \"GenuineIntel\""), std::string::npos) << e;
  e = with("\"sl_dev\"", "\"pmr\"");
  EXPECT_NE(e.find("p.json: /chipset/dma_protection: \"pmr\""), std::string::npos) << e;
  e = with("\"0x17\"", "\"0x16\"");  // SL_DEV on a family 16h part
  EXPECT_NE(e.find("/chipset/dma_protection"), std::string::npos) << e;
  e = with("\"0x71\"", "\"0x171\"");
  EXPECT_NE(e.find("p.json: /cpu/model: \"0x171\" is out of range"), std::string::npos) << e;
  e = with("\"stepping\": 0", "\"stepping\": \"x\"");
  EXPECT_NE(e.find("/cpu/stepping: expected a number"), std::string::npos) << e;
  e = with("\"asids\": 32768, ", "");
  EXPECT_NE(e.find("p.json: /cpu/svm: missing required key \"asids\""), std::string::npos) << e;
  e = with("\"iommu\": true", "\"iommu\": true, \"dev\": 1");
  EXPECT_NE(e.find("p.json: /chipset/dev: unknown key"), std::string::npos) << e;
  e = with("\"0x17\"", "\"0xe\"");
  EXPECT_NE(e.find("/cpu/family"), std::string::npos) << e;
  EXPECT_NE(error("{"), "(accepted)");
}

// The chipset's TPM localities 1..3: all three unless the profile lists fewer.
TEST(SvmProfile, TpmLocalitiesDefaultToAllThreeAndAreChecked) {
  EXPECT_EQ(parseSvmProfile(kGood, "p.json", "p").tpmLocalities, 0x0E);
  EXPECT_EQ(findSvmProfile("apu2-gx412tc").tpmLocalities, 0x0E);
  EXPECT_EQ(findSvmProfile("epyc3251-zen").tpmLocalities, 0x0E);
  auto with = [](const std::string& list) {
    std::string t = kGood;
    const std::string key = "\"iommu\": true";
    t.replace(t.find(key), key.size(), key + ", \"tpm_localities\": " + list);
    return t;
  };
  EXPECT_EQ(parseSvmProfile(with("[2]"), "p.json", "p").tpmLocalities, 0x04);
  EXPECT_EQ(parseSvmProfile(with("[]"), "p.json", "p").tpmLocalities, 0x00);
  EXPECT_EQ(error(with("[0]")), "p.json: /chipset/tpm_localities/0: 0: locality 0 is always forwarded; list 1..3");
  EXPECT_EQ(error(with("[1, 4]")), "p.json: /chipset/tpm_localities/1: 4 is out of range 0..0x3");
  EXPECT_EQ(error(with("[2, 2]")), "p.json: /chipset/tpm_localities/1: 2 is listed twice");
  EXPECT_EQ(error(with("2")), "p.json: /chipset/tpm_localities: expected an array of localities 1..3, got 2");
}

TEST(SvmProfile, UnknownShippedNameListsTheShippedOnes) {
  try {
    findSvmProfile("nope");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("apu2-gx412tc"), std::string::npos) << e.what();
  }
  EXPECT_THROW(loadSvmProfile("/nonexistent/x.json"), InputError);
}

}  // namespace
}  // namespace dlsim::svm
