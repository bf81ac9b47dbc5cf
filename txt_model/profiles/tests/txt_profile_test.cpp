// TXT platform profiles: the shipped set, what each holds (compared with the
// public logs its "source" names), and the errors bad profile files give.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/errors.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {
namespace {

std::string errorOf(const std::string& text) {
  try {
    parseTxtProfile(text, "p.json", "p");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const char* kMinimal = R"({
  "description": "d",
  "cpu": {"cpuid_signature": "0x806ea"},
  "chipset": {"didvid": "0x00000001b0068086", "ver_fsbif": "0xffffffff", "ver_qpiif": "0x80000000"},
  "sinit": {"info_table_version": 6, "capabilities": "0x36e", "os_sinit_data_version": 7,
            "min_mle_header_version": "0x20000", "sinit_mle_data_version": 9, "acm_version": 1,
            "chipset_id": "0xb006", "date": "0x20180904", "tpm_capabilities": "0xf", "tpm_algorithms": [4, 11]}
})";

TEST(TxtProfile, ShippedSetIsSortedAndEveryProfileLoads) {
  auto names = shippedTxtProfiles();
  ASSERT_GE(names.size(), 2u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const auto& n : names) {
    TxtProfile p = findTxtProfile(n);
    EXPECT_EQ(p.name, n);
    EXPECT_FALSE(p.description.empty()) << n;
    EXPECT_FALSE(p.source.empty()) << n;
    EXPECT_FALSE(p.sinitChipsetIds.empty()) << n;
    EXPECT_FALSE(p.sinitProcessorIds.empty()) << n;
  }
}

// The shipped files in the source tree are exactly the compiled-in set.
TEST(TxtProfile, CompiledInSetMatchesTheSourceTree) {
  std::vector<std::string> onDisk;
  for (const auto& e : std::filesystem::directory_iterator(std::string(DLSIM_SOURCE_DIR) + "/txt_model/profiles"))
    if (e.path().extension() == ".json") onDisk.push_back(e.path().stem().string());
  std::sort(onDisk.begin(), onDisk.end());
  EXPECT_EQ(onDisk, shippedTxtProfiles());
  for (const auto& n : onDisk) {
    TxtProfile a = loadTxtProfile(std::string(DLSIM_SOURCE_DIR) + "/txt_model/profiles/" + n + ".json");
    TxtProfile b = findTxtProfile(n);
    EXPECT_EQ(a.didvid, b.didvid);
    EXPECT_EQ(a.cpuidSignature, b.cpuidSignature);
    EXPECT_EQ(a.name, n);
  }
}

// Values as the tboot 1.9.10 log on tboot-devel (2019-09-10) prints them.
TEST(TxtProfile, ClientProfileHoldsTheLoggedFacts) {
  TxtProfile p = findTxtProfile("cfl-client-tpm2");
  EXPECT_EQ(p.vendorId(), 0x8086);
  EXPECT_EQ(p.deviceId(), 0xB006);
  EXPECT_EQ(p.revisionId(), 0x1);
  EXPECT_EQ(p.cpuidSignature, 0x806EAu);
  EXPECT_EQ(p.platformId, 0x1C000000000000ull);
  EXPECT_EQ(p.sinitCapabilities, 0x36Eu);
  EXPECT_EQ((p.sinitCapabilities >> 6) & 3, 1u);  // platform_type client
  EXPECT_EQ(p.sinitInfoTableVersion, 6u);
  EXPECT_EQ(p.acmVersionByte, 171);
  ASSERT_EQ(p.sinitProcessorIds.size(), 4u);
  EXPECT_EQ(p.sinitProcessorIds[2].fms, 0x806E0u);
  EXPECT_EQ(p.sinitProcessorIds[2].fmsMask, 0xFFF3FF0u);
  EXPECT_EQ(p.tpmAlgorithms, (std::vector<uint16_t>{0x4, 0xB, 0xC, 0xD, 0x14, 0x18}));
}

TEST(TxtProfile, ServerProfileHoldsTheLoggedFacts) {
  TxtProfile p = findTxtProfile("hsx-server-tpm2");
  EXPECT_EQ(p.deviceId(), 0xB002);
  EXPECT_EQ(p.cpuidSignature, 0x306F2u);
  EXPECT_EQ(p.sinitCapabilities, 0xA5u);
  EXPECT_EQ((p.sinitCapabilities >> 6) & 3, 2u);  // platform_type server
  EXPECT_EQ(p.sinitChipsetId, 0x1D00);
  EXPECT_EQ(p.sinitDate, 0x20190718u);
}

// Each shipped SINIT matches its own platform the way tboot matches
// (acmod.c does_acmod_match_platform): one chipset entry and one processor
// entry accept the profile's DIDVID, CPUID and platform ID.
TEST(TxtProfile, EveryShippedSinitMatchesItsPlatform) {
  for (const auto& n : shippedTxtProfiles()) {
    TxtProfile p = findTxtProfile(n);
    bool chipset = false, cpu = false;
    for (const auto& c : p.sinitChipsetIds)
      chipset |= c.vendorId == p.vendorId() && c.deviceId == p.deviceId() &&
                 ((c.flags & 1) ? (c.revisionId & p.revisionId()) != 0 : c.revisionId == p.revisionId());
    for (const auto& c : p.sinitProcessorIds)
      cpu |= c.fms == (p.cpuidSignature & c.fmsMask) && c.platformId == (p.platformId & c.platformMask);
    EXPECT_TRUE(chipset) << n;
    EXPECT_TRUE(cpu) << n;
  }
}

TEST(TxtProfile, MinimalProfileGetsDefaultsAndDerivedIdLists) {
  TxtProfile p = parseTxtProfile(kMinimal, "p.json", "p");
  EXPECT_EQ(p.getsecCapabilities, 0x1FDu);
  EXPECT_EQ(p.maxAcmSize, 0x8000u);
  ASSERT_EQ(p.sinitChipsetIds.size(), 1u);
  EXPECT_EQ(p.sinitChipsetIds[0].deviceId, 0xB006);
  EXPECT_EQ(p.sinitChipsetIds[0].revisionId, 1);
  ASSERT_EQ(p.sinitProcessorIds.size(), 1u);
  EXPECT_EQ(p.sinitProcessorIds[0].fms, 0x806E0u);
}

TEST(TxtProfile, ErrorsNameFileAndPointer) {
  std::string s = kMinimal;
  EXPECT_EQ(errorOf(std::string(s).replace(s.find("\"0x806ea\""), 9, "\"0x1g\"")),
            "p.json: /cpu/cpuid_signature: expected a number (integer, \"0x...\" or decimal string), got \"0x1g\"");
  EXPECT_EQ(errorOf(std::string(s).replace(s.find("\"acm_version\": 1"), 16, "\"acm_version\": 256")),
            "p.json: /sinit/acm_version: 256 is out of range 0..0xff");
  EXPECT_EQ(errorOf(std::string(s).replace(s.find("\"description\""), 13, "\"descripton\"")),
            "p.json: /descripton: unknown key (expected one of: $schema, $comment, description, source, cpu, "
            "chipset, sinit)");
  EXPECT_EQ(errorOf(std::string(s).replace(s.find("\"info_table_version\": 6"), 23, "\"info_table_version\": 2")),
            "p.json: /sinit/info_table_version: 2 is out of range 3..8");
  EXPECT_NE(errorOf("{").find("p.json: not valid JSON"), std::string::npos);
  EXPECT_EQ(errorOf(R"({"description": "d"})"), "p.json: /: missing required key \"cpu\"");
}

TEST(TxtProfile, UnknownShippedNameListsTheShippedOnes) {
  try {
    findTxtProfile("nope");
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("\"nope\""), std::string::npos);
    EXPECT_NE(m.find("cfl-client-tpm2"), std::string::npos);
    EXPECT_NE(m.find("hsx-server-tpm2"), std::string::npos);
  }
}

TEST(TxtProfile, ResolveTakesAPathOrAName) {
  auto dir = std::filesystem::path(DLSIM_BINARY_DIR) / "txt_profile_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "mine.json") << kMinimal;
  TxtProfile p = resolveTxtProfile((dir / "mine.json").string());
  EXPECT_EQ(p.name, "mine");
  EXPECT_EQ(resolveTxtProfile("hsx-server-tpm2").name, "hsx-server-tpm2");
  EXPECT_THROW(resolveTxtProfile((dir / "absent.json").string()), InputError);
}

}  // namespace
}  // namespace dlsim::txt
