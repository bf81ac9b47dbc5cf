// Turns a scenario file into a typed Scenario, rejecting anything the format
// (docs/scenario-format.md) does not allow. Errors are InputError with
// "FILE: /json/pointer: message" ("FILE:LINE:COL: ..." for malformed JSON).
// The "expect" object is kept raw here; parseExpectations (sim/checks) reads it.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.h"

namespace dlsim {

// Reads and parses `path`. Scenario::file is its absolute path; messages use
// `path` as given.
// `models`: the platform models whose sections the scenario may hold (the
// composition root's list, models/model_list.h); others are unknown keys.
Scenario loadScenario(const std::string& path, const ModelList& models = {});

// Parses an already-read document; `file` is used in messages and relative
// load paths are resolved against its directory.
Scenario parseScenario(const nlohmann::json& doc, const std::string& file, const ModelList& models = {});

}  // namespace dlsim
