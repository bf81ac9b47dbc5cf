// Reads the "load" list of a scenario: what to put into guest memory, in
// order, with every file resolved to an existing absolute path.
#pragma once
#include <string>
#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace dlsim {

std::vector<LoadSpec> parseLoadSpecs(const JsonValue& load, const std::string& scenarioFile);

}  // namespace dlsim
