// The scenario's "launch_rules" member: modes parsed, rule ids checked
// against the rules the models declare, bad input named by its pointer.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_parser.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using json = nlohmann::json;
using testing_scenario::expectInputError;
using testing_scenario::scratchDir;
using testing_scenario::writeFile;

// A model that only declares two rules.
class RuleModel : public PlatformModel {
 public:
  std::string name() const override { return "rulemodel"; }
  nlohmann::ordered_json schemaFragment() const override { return {}; }
  std::shared_ptr<const ModelSpec> parseSection(const JsonValue&) const override { return nullptr; }
  std::vector<std::string> expectKeys() const override { return {}; }
  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader&) const override { return nullptr; }
  void validate(const ModelSpec*, const ModelExpectations*, const InstallContext&) const override {}
  std::unique_ptr<InstalledModel> install(ModelHost&, const ModelSpec&, const InstallContext&) const override {
    return nullptr;
  }
  std::vector<LaunchRule> launchRules() const override {
    return {{"m.leaf.one", "ref one", "one"}, {"m.leaf.two", "ref two", "two"}};
  }
};

class LaunchRulesParse : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = scratchDir();
    writeFile(dir / "boot.bin", "\xf4");
  }
  json doc(const json& rules) const {
    json d = json::parse(R"({
      "name": "mini",
      "machine": { "memory": [ { "base": 0, "size": "0xa0000" } ] },
      "entry": { "mode": "real", "address": "0x7c00" }
    })");
    d["load"] = json::array({{{"type", "flat"}, {"file", (dir / "boot.bin").string()}, {"address", "0x7c00"}}});
    d["launch_rules"] = rules;
    return d;
  }
  Scenario parse(const json& rules) const { return parseScenario(doc(rules), path(), {&model}); }
  std::string path() const { return (dir / "s.json").string(); }
  RuleModel model;
  std::filesystem::path dir;
};

TEST_F(LaunchRulesParse, AbsentMeansEveryRuleHardware) {
  json d = doc(json::object());
  d.erase("launch_rules");
  Scenario s = parseScenario(d, path(), {&model});
  EXPECT_EQ(s.launchRules.defaultMode, RuleMode::Hardware);
  EXPECT_TRUE(s.launchRules.modes.empty());
}

TEST_F(LaunchRulesParse, DefaultAndPerRuleModes) {
  Scenario s = parse(json::parse(R"({"default": "stop", "rules": {"m.leaf.two": "hardware"}})"));
  EXPECT_EQ(s.launchRules.defaultMode, RuleMode::Stop);
  ASSERT_EQ(s.launchRules.modes.size(), 1u);
  EXPECT_EQ(s.launchRules.modes.at("m.leaf.two"), RuleMode::Hardware);
}

TEST_F(LaunchRulesParse, UnknownRuleIsRefusedByItsPointer) {
  expectInputError([&] { parse(json::parse(R"({"rules": {"m.leaf.three": "stop"}})")); },
                   {path() + ": /launch_rules/rules/m.leaf.three: ", "unknown launch rule \"m.leaf.three\""});
}

TEST_F(LaunchRulesParse, BadModeAndUnknownKeyAreRefused) {
  expectInputError([&] { parse(json::parse(R"({"default": "halt"})")); }, {path() + ": /launch_rules/default: "});
  expectInputError([&] { parse(json::parse(R"({"rules": {"m.leaf.one": "crash"}})")); },
                   {path() + ": /launch_rules/rules/m.leaf.one: "});
  expectInputError([&] { parse(json::parse(R"({"mode": "stop"})")); }, {path() + ": /launch_rules"});
}

}  // namespace
}  // namespace dlsim
