// The strict launch rule book (sim/launch_rules.h): modes per rule with a
// default, every broken rule recorded with its CPU and address, the stop
// detail naming rule and reference.
#include "sim/launch_rules.h"

#include <gtest/gtest.h>

namespace dlsim {
namespace {

const LaunchRule kA{"test.leaf.a", "SDM vol. 2D TEST[A] #GP(0)", "A must hold"};
const LaunchRule kB{"test.leaf.b", "SDM vol. 2D TEST[B] #UD", "B must hold"};

TEST(LaunchRules, DefaultModeIsHardware) {
  LaunchRules r;
  EXPECT_EQ(r.modeOf(kA.id), RuleMode::Hardware);
  EXPECT_EQ(r.broken(kA, 0, 0x1000, "x"), RuleMode::Hardware);
}

TEST(LaunchRules, PerRuleModeOverridesTheDefault) {
  LaunchRules r;
  LaunchRuleModes m;
  m.defaultMode = RuleMode::Stop;
  m.modes[kB.id] = RuleMode::Hardware;
  r.configure(m);
  EXPECT_EQ(r.modeOf(kA.id), RuleMode::Stop);
  EXPECT_EQ(r.modeOf(kB.id), RuleMode::Hardware);
}

TEST(LaunchRules, EveryBrokenRuleIsRecordedInOrder) {
  LaunchRules r;
  LaunchRuleModes m;
  m.modes[kB.id] = RuleMode::Stop;
  r.configure(m);
  r.broken(kA, 1, 0x2000, "EDX = 0x1");
  r.broken(kB, 3, 0x3000, "");
  ASSERT_EQ(r.brokenRules().size(), 2u);
  const BrokenRule& a = r.brokenRules()[0];
  EXPECT_EQ(a.id, "test.leaf.a");
  EXPECT_EQ(a.reference, "SDM vol. 2D TEST[A] #GP(0)");
  EXPECT_EQ(a.summary, "A must hold");
  EXPECT_EQ(a.mode, RuleMode::Hardware);
  EXPECT_EQ(a.cpu, 1);
  EXPECT_EQ(a.address, 0x2000u);
  EXPECT_EQ(a.detail, "EDX = 0x1");
  EXPECT_EQ(r.brokenRules()[1].mode, RuleMode::Stop);
  EXPECT_EQ(r.brokenRules()[1].cpu, 3);
  r.restoreBroken({});
  EXPECT_TRUE(r.brokenRules().empty());
}

TEST(LaunchRules, StopDetailNamesRuleReferenceAndValues) {
  EXPECT_EQ(LaunchRules::stopDetail(kA, "EDX = 0x1"), "test.leaf.a (SDM vol. 2D TEST[A] #GP(0)): A must hold; EDX = 0x1");
  EXPECT_EQ(LaunchRules::stopDetail(kB, ""), "test.leaf.b (SDM vol. 2D TEST[B] #UD): B must hold");
}

TEST(LaunchRules, ModeNamesRoundTrip) {
  EXPECT_STREQ(ruleModeName(RuleMode::Hardware), "hardware");
  EXPECT_STREQ(ruleModeName(RuleMode::Stop), "stop");
  EXPECT_EQ(ruleModeFromName("stop"), RuleMode::Stop);
  EXPECT_EQ(ruleModeFromName("hardware"), RuleMode::Hardware);
  EXPECT_FALSE(ruleModeFromName("halt"));
}

}  // namespace
}  // namespace dlsim
