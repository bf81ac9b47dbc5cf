// Platform models add stop reasons (PlatformModel::stopReasons): a run of
// theirs may end with one, so `expect.stop.reason` accepts it, and the
// assembled schema lists it after the core's.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/checks/expectations.h"
#include "sim/errors.h"
#include "sim/scenario/scenario_schema.h"

namespace dlsim {
namespace {

class ReasonModel : public PlatformModel {
 public:
  std::string name() const override { return "reasons"; }
  nlohmann::ordered_json schemaFragment() const override {
    return nlohmann::ordered_json{{"section", {{"type", "object"}}}, {"expect", nlohmann::ordered_json::object()}};
  }
  std::shared_ptr<const ModelSpec> parseSection(const JsonValue&) const override { return nullptr; }
  std::vector<std::string> expectKeys() const override { return {}; }
  std::vector<std::string> stopReasons() const override { return {"model-stop"}; }
  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader&) const override { return nullptr; }
  void validate(const ModelSpec*, const ModelExpectations*, const InstallContext&) const override {}
  std::unique_ptr<InstalledModel> install(ModelHost&, const ModelSpec&, const InstallContext&) const override {
    return nullptr;
  }
};

TEST(ModelStopReasons, ExpectAcceptsAModelsStopReasonOnlyWithThatModel) {
  const ReasonModel model;
  const nlohmann::json expect = {{"stop", {{"reason", "model-stop"}}}};
  const Expectations e = parseExpectations(expect, "s.json", ModelList{&model});
  ASSERT_TRUE(e.stop.reason);
  EXPECT_EQ(*e.stop.reason, "model-stop");
  try {
    parseExpectations(expect, "s.json", ModelList{});
    FAIL() << "accepted without the model";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("stop/reason"), std::string::npos) << err.what();
  }
}

TEST(ModelStopReasons, TheAssembledSchemaListsThemAfterTheCores) {
  const ReasonModel model;
  nlohmann::ordered_json core = {
      {"properties",
       {{"expect",
         {{"properties", {{"stop", {{"properties", {{"reason", {{"enum", {"all-cpus-halted", "triple-fault"}}}}}}}}}}}}}}};
  const nlohmann::ordered_json out = assembleScenarioSchema(core, ModelList{&model});
  const auto& reasons = out["properties"]["expect"]["properties"]["stop"]["properties"]["reason"]["enum"];
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0], "all-cpus-halted");
  EXPECT_EQ(reasons[2], "model-stop");
  const std::vector<std::string> all = stopReasonsWith(ModelList{&model});
  EXPECT_EQ(all.size(), knownStopReasons().size() + 1);
  EXPECT_EQ(all.back(), "model-stop");
}

}  // namespace
}  // namespace dlsim
