// The "txt" section's processor-side keys reach GETSEC: feature_control is
// every CPU's IA32_FEATURE_CONTROL at power-on (RDMSR reads it; unlocked,
// GETSEC[SENTER] breaks getsec.senter.feature-control-locked) and
// tpm_present false makes SENTER break getsec.senter.tpm-present (SDM vol.
// 2D GETSEC[SENTER] #GP(0)). Bad values name the pointer; machine.msrs may
// not set IA32_FEATURE_CONTROL.
#include <gtest/gtest.h>

#include "txt_model/platform/tests/tpm_interface_stand_in.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/platform/tests/txt_machine_rig.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"

namespace dlsim::txt {
namespace {

TxtProfile getsecProfile() {
  TxtProfile p = rig::testProfile();
  p.getsecCapabilities = 0x1FD;
  p.maxAcmSize = 0x40000;
  return p;
}

const TxtPlatformModel& model() {
  static const TxtPlatformModel m(rig::onlyProfile(getsecProfile()));
  return m;
}

std::shared_ptr<const TxtSpec> parse(const std::string& text) { return rig::parseSection(model(), text); }

struct Outcome {
  StopInfo stop;
  uint64_t featureControl = 0;
  std::vector<BrokenRule> broken;
};

// RDMSR 0x3A into 0x9000, then SENTER with a SINIT at 0x180000.
Outcome runSenter(const std::string& section) {
  Machine m(rig::machineConfig());
  TpmInterfaceStandIn tpm;
  tpm.attach(m.bus());
  LaunchRuleModes stopAll;
  stopAll.defaultMode = RuleMode::Stop;
  m.launchRules().configure(stopAll);
  auto spec = parse(section);
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov eax, cr0
  or eax, 0x20
  mov cr0, eax
  mov eax, cr4
  or eax, 0x4000
  mov cr4, eax
  mov ecx, 0x3a
  rdmsr
  mov [0x9000], eax
  mov [0x9004], edx
  mov eax, 4
  mov ebx, 0x180000
  mov ecx, 0x8000
  xor edx, edx
  getsec
  hlt
)");
  Outcome o;
  o.stop = m.run();
  EXPECT_TRUE(m.memory().readValue(0x9000, o.featureControl));
  o.broken = m.launchRules().brokenRules();
  return o;
}

TEST(TxtGetsecSection, TpmPresentFalseBreaksTheSenterRule) {
  const Outcome o = runSenter(R"({"profile": "test-cfl", "tpm_present": false})");
  EXPECT_EQ(o.stop.reason, "launch-rule");
  ASSERT_EQ(o.broken.size(), 1u);
  EXPECT_EQ(o.broken[0].id, "getsec.senter.tpm-present");
  EXPECT_EQ(o.featureControl, 0xFF07u);  // the default: a TXT BIOS's, locked
}

TEST(TxtGetsecSection, FeatureControlIsWhatTheBiosLeft) {
  const Outcome o = runSenter(R"({"profile": "test-cfl", "feature_control": "0xff06"})");
  EXPECT_EQ(o.featureControl, 0xFF06u);
  ASSERT_EQ(o.broken.size(), 1u);
  EXPECT_EQ(o.broken[0].id, "getsec.senter.feature-control-locked");
  const Outcome g = runSenter(R"({"profile": "test-cfl", "feature_control": "0x7f07"})");
  ASSERT_EQ(g.broken.size(), 1u);
  EXPECT_EQ(g.broken[0].id, "getsec.senter.feature-control-global-enable");
}

TEST(TxtGetsecSection, BadValuesNameThePointer) {
  try {
    parse(R"({"profile": "test-cfl", "feature_control": "0x10000"})");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/txt/feature_control: 0x10000 sets bits 0x10000"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(parse(R"({"profile": "test-cfl", "tpm_present": "no"})"), InputError);
}

// IA32_FEATURE_CONTROL has one place in a scenario: the txt section's
// feature_control; machine.msrs refuses MSR 0x3A naming both fields.
TEST(TxtGetsecSection, MachineMsrsRefusesFeatureControl) {
  MachineConfig c = rig::machineConfig();
  c.msrs = {{0x17, 0, -1}, {0x3A, 0xFF06, -1}};
  Machine m(c);
  auto spec = parse(R"({"profile": "test-cfl"})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  try {
    m.start();
    FAIL() << "machine.msrs set IA32_FEATURE_CONTROL";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/machine/msrs/1: MSR 0x3a is set by /txt/feature_control"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dlsim::txt
