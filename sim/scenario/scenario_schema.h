// The scenario JSON Schema as published (scenarios/schema/scenario.schema.json):
// the core schema (scenarios/schema/core.schema.json) with each platform
// model's fragment added: its section as a top-level property (before
// "expect") and its `expect` members after the core ones.
#pragma once
#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"

namespace dlsim {

// Throws InputError when the core schema lacks properties/expect or a model's
// fragment lacks "section" / "expect".
nlohmann::ordered_json assembleScenarioSchema(const nlohmann::ordered_json& core, const ModelList& models);

}  // namespace dlsim
