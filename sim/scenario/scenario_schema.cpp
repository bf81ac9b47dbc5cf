// Assembles the scenario schema from the core and the models' fragments
// (see scenario_schema.h).
#include "sim/scenario/scenario_schema.h"

#include "sim/errors.h"

namespace dlsim {

using nlohmann::ordered_json;

ordered_json assembleScenarioSchema(const ordered_json& core, const ModelList& models) {
  if (!core.contains("properties") || !core["properties"].contains("expect") ||
      !core["properties"]["expect"].contains("properties"))
    throw InputError("core schema: no properties/expect/properties");
  ordered_json out = core;
  ordered_json props = ordered_json::object();
  for (const auto& [key, value] : core["properties"].items()) {
    if (key == "expect") {
      for (const PlatformModel* m : models) {
        ordered_json f = m->schemaFragment();
        if (!f.contains("section")) throw InputError("schema fragment of model " + m->name() + ": no \"section\"");
        props[m->name()] = f["section"];
      }
    }
    props[key] = value;
  }
  ordered_json& expect = props["expect"]["properties"];
  for (const PlatformModel* m : models) {
    ordered_json f = m->schemaFragment();
    if (!f.contains("expect")) throw InputError("schema fragment of model " + m->name() + ": no \"expect\"");
    for (const auto& [key, value] : f["expect"].items()) expect[key] = value;
  }
  // The models' stop reasons join the core's in expect.stop.reason.
  ordered_json* reasons = nullptr;
  if (expect.contains("stop") && expect["stop"].contains("properties") &&
      expect["stop"]["properties"].contains("reason") && expect["stop"]["properties"]["reason"].contains("enum"))
    reasons = &expect["stop"]["properties"]["reason"]["enum"];
  for (const PlatformModel* m : models) {
    for (const std::string& r : m->stopReasons()) {
      if (!reasons) throw InputError("core schema: no properties/expect/properties/stop/properties/reason/enum");
      reasons->push_back(r);
    }
  }
  out["properties"] = props;
  return out;
}

}  // namespace dlsim
