// CPUID profiles: vendor identity, signature encoding, per-CPU fields and
// feature changes, on top of a hand-written "engine" leaf set.
#include "cpu_model/cpuid_profile.h"

#include <gtest/gtest.h>

#include <cstring>

#include "sim/errors.h"

namespace dlsim {
namespace {

CpuidLeafMap fakeEngine() {
  CpuidLeafMap m;
  m[{1, 0}] = CpuidLeaf{0, 0, (1u << 0) | (1u << 31) /* sse3, hypervisor */, (1u << 0) | (1u << 25) /* fpu, sse */};
  m[{7, 0}] = CpuidLeaf{};
  m[{0x80000001, 0}] = CpuidLeaf{0, 0, 1u << 2 /* svm */, 1u << 29 /* lm */};
  return m;
}

std::string vendorString(const CpuidLeaf& l) {
  char s[13] = {};
  std::memcpy(s, &l.ebx, 4);
  std::memcpy(s + 4, &l.edx, 4);
  std::memcpy(s + 8, &l.ecx, 4);
  return s;
}

TEST(CpuidProfile, IntelIdentityAndSignature) {
  CpuidConfig c;
  c.vendor = Vendor::Intel;
  c.family = 6;
  c.model = 0x55;
  c.stepping = 4;
  CpuidProfile p = CpuidProfile::build(fakeEngine(), c);
  EXPECT_EQ(vendorString(p.query(0, 0, 0, 1)), "GenuineIntel");
  // Family 6, model 0x55: base model 5, extended model 5, stepping 4.
  EXPECT_EQ(p.query(1, 0, 0, 1).eax, (5u << 16) | (6u << 8) | (5u << 4) | 4u);
  EXPECT_FALSE(p.has("hypervisor"));
  EXPECT_FALSE(p.has("svm"));
  EXPECT_TRUE(p.has("sse3"));
  EXPECT_TRUE(p.has("monitor"));  // emulated by dlsim
  EXPECT_TRUE(p.has("lm"));
}

TEST(CpuidProfile, AmdFamilyAboveFifteenUsesExtendedFamily) {
  CpuidConfig c;
  c.vendor = Vendor::Amd;
  c.family = 0x19;
  c.model = 0x21;
  c.stepping = 0;
  CpuidProfile p = CpuidProfile::build(fakeEngine(), c);
  EXPECT_EQ(vendorString(p.query(0, 0, 0, 1)), "AuthenticAMD");
  EXPECT_EQ(p.query(1, 0, 0, 1).eax, (0xau << 20) | (2u << 16) | (0xfu << 8) | (1u << 4));
  // SVM and SKINIT are the SVM platform model's to advertise (it emulates them).
  EXPECT_FALSE(p.has("svm"));
  EXPECT_FALSE(p.has("skinit"));
}

// A platform model's identity and own leaves (the SVM model's AMD profile).
TEST(CpuidProfile, ModelSetsSignatureAndLeavesBeyondTheMaximum) {
  CpuidConfig c;
  c.vendor = Vendor::Amd;
  CpuidProfile p = CpuidProfile::build(fakeEngine(), c);
  EXPECT_EQ(p.query(0x8000000A, 0, 0, 1).ebx, 0u);  // beyond the highest extended leaf
  p.setSignature(0x16, 0x30, 1);
  EXPECT_EQ(p.query(1, 0, 0, 1).eax, 0x00730F01u);  // base family F + extended 7, extended model 3
  EXPECT_EQ(p.family(), 0x16u);
  p.setLeaf(0x8000000A, 0, CpuidLeaf{1, 8, 0, 0x14FF});
  EXPECT_EQ(p.query(0x80000000, 0, 0, 1).eax, 0x8000000Au);
  EXPECT_EQ(p.query(0x8000000A, 0, 0, 1).ebx, 8u);
  EXPECT_EQ(p.query(0x8000000A, 0, 0, 1).edx, 0x14FFu);
  EXPECT_EQ(p.query(0x80000009, 0, 0, 1).eax, 0u);
}

TEST(CpuidProfile, PerCpuApicIdAndTopology) {
  CpuidProfile p = CpuidProfile::build(fakeEngine(), CpuidConfig{});
  CpuidLeaf l = p.query(1, 0, 3, 4);
  EXPECT_EQ(l.ebx >> 24, 3u);
  EXPECT_EQ((l.ebx >> 16) & 0xff, 4u);
  EXPECT_TRUE(l.edx & (1u << 28));
  EXPECT_EQ(p.query(0xb, 1, 3, 4).ebx, 4u);
  EXPECT_EQ(p.query(0xb, 1, 3, 4).edx, 3u);
  EXPECT_EQ(p.query(0xb, 1, 3, 4).eax, 2u);  // 2 bits of core ID for 4 CPUs
}

TEST(CpuidProfile, FeatureChangesAreCheckedByName) {
  CpuidConfig c;
  c.add = {"smx"};
  c.remove = {"rdrand"};
  CpuidProfile p = CpuidProfile::build(fakeEngine(), c);
  EXPECT_TRUE(p.has("smx"));
  EXPECT_FALSE(p.has("rdrand"));
  c.add = {"no-such-feature"};
  EXPECT_THROW(CpuidProfile::build(fakeEngine(), c), InputError);
  c.add = {"avx2"};  // the fake engine cannot run AVX2 and dlsim does not emulate it
  try {
    CpuidProfile::build(fakeEngine(), c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("avx2"), std::string::npos);
  }
}

TEST(CpuidProfile, LeavesBeyondTheMaximumReadZero) {
  CpuidProfile p = CpuidProfile::build(fakeEngine(), CpuidConfig{});
  CpuidLeaf l = p.query(0x20, 0, 0, 1);
  EXPECT_EQ(l.eax | l.ebx | l.ecx | l.edx, 0u);
}

}  // namespace
}  // namespace dlsim

namespace dlsim {
namespace {

TEST(CpuidProfile, ModelSetsAndClearsAFeatureAfterBuild) {
  CpuidProfile p = CpuidProfile::build(fakeEngine(), CpuidConfig{});
  EXPECT_FALSE(p.has("smx"));  // dropped for Intel only if present; absent in the fake engine
  p.setFeature("smx", true);
  EXPECT_TRUE(p.has("smx"));
  EXPECT_EQ(p.query(1, 0, 0, 1).ecx >> 6 & 1, 1u);  // CPUID.1:ECX bit 6
  p.setFeature("smx", false);
  EXPECT_EQ(p.query(1, 0, 0, 1).ecx >> 6 & 1, 0u);
  EXPECT_THROW(p.setFeature("no-such-feature", true), InternalError);
}

// The scenario describes the machine under test: its feature and signature
// choices stay when a platform model applies its profile afterwards.
TEST(CpuidProfile, ScenarioChoicesWinOverAPlatformModel) {
  CpuidConfig c;
  c.vendor = Vendor::Amd;
  c.model = 0x60;
  c.add = {"svm"};
  c.remove = {"skinit", "x2apic"};
  CpuidProfile p = CpuidProfile::build(fakeEngine(), c);
  p.setFeature("skinit", true);  // the profile has SKINIT; the scenario cleared it
  p.setFeature("svm", false);
  p.setFeature("x2apic", true);
  p.setFeature("smx", true);  // not named by the scenario: the model decides
  EXPECT_FALSE(p.has("skinit"));
  EXPECT_EQ(p.query(0x80000001, 0, 0, 1).ecx >> 12 & 1, 0u);  // Fn8000_0001 ECX bit 12
  EXPECT_TRUE(p.has("svm"));
  EXPECT_FALSE(p.has("x2apic"));
  EXPECT_TRUE(p.has("smx"));
  p.setSignature(0x16, 0x30, 1);  // family and stepping from the model, model 0x60 from the scenario
  EXPECT_EQ(p.family(), 0x16u);
  EXPECT_EQ(p.model(), 0x60u);
  EXPECT_EQ(p.query(1, 0, 0, 1).eax, 0x00760F01u);  // ext family 7, ext model 6, base F, base model 0
}

}  // namespace
}  // namespace dlsim
