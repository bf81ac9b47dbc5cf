// expect.broken_launch_rules: the ids of the strict launch rules a run broke,
// in order and exactly (sim/launch_rules.h). Ids no platform model declares
// are refused at parse time, naming the JSON pointer.
#include <gtest/gtest.h>

#include "sim/checks/check_runner.h"
#include "sim/checks/expectations.h"
#include "sim/errors.h"

namespace dlsim {
namespace {

const LaunchRule kA{"test.leaf.a", "Ref A", "a must hold"};
const LaunchRule kB{"test.leaf.b", "Ref B", "b must hold"};

class RuleModel : public PlatformModel {
 public:
  std::string name() const override { return "rules"; }
  nlohmann::ordered_json schemaFragment() const override { return {}; }
  std::shared_ptr<const ModelSpec> parseSection(const JsonValue&) const override { return nullptr; }
  std::vector<std::string> expectKeys() const override { return {}; }
  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader&) const override { return nullptr; }
  void validate(const ModelSpec*, const ModelExpectations*, const InstallContext&) const override {}
  std::unique_ptr<InstalledModel> install(ModelHost&, const ModelSpec&, const InstallContext&) const override {
    return nullptr;
  }
  std::vector<LaunchRule> launchRules() const override { return {kA, kB}; }
};

Observation brokeA() {
  Observation obs;
  obs.brokenRules.push_back(BrokenRule{kA.id, kA.reference, kA.summary, RuleMode::Stop, 0, 0x1000, ""});
  return obs;
}

std::vector<CheckResult> run(const nlohmann::json& ids, const Observation& obs) {
  const RuleModel model;
  return evaluate(parseExpectations(nlohmann::json{{"broken_launch_rules", ids}}, "s.json", ModelList{&model}), obs);
}

TEST(BrokenRulesChecks, PassesOnExactlyTheBrokenIds) {
  auto r = run({"test.leaf.a"}, brokeA());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].name, "broken_launch_rules");
  EXPECT_TRUE(r[0].ok);
}

TEST(BrokenRulesChecks, FailsOnAnotherRuleAMissingOneOrAnExtraOne) {
  EXPECT_FALSE(run({"test.leaf.b"}, brokeA())[0].ok);
  EXPECT_FALSE(run({"test.leaf.a", "test.leaf.b"}, brokeA())[0].ok);
  EXPECT_FALSE(run(nlohmann::json::array(), brokeA())[0].ok);
  EXPECT_TRUE(run(nlohmann::json::array(), Observation{})[0].ok);
}

TEST(BrokenRulesChecks, AbsentMeansNotChecked) {
  const RuleModel model;
  EXPECT_TRUE(evaluate(parseExpectations(nlohmann::json::object(), "s.json", ModelList{&model}), brokeA()).empty());
}

TEST(BrokenRulesChecks, RefusesAnIdNoModelDeclares) {
  const RuleModel model;
  try {
    parseExpectations(nlohmann::json{{"broken_launch_rules", {"test.leaf.a", "test.leaf.c"}}}, "s.json",
                      ModelList{&model});
    FAIL() << "accepted an unknown rule";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("/expect/broken_launch_rules/1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("test.leaf.c"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace dlsim
