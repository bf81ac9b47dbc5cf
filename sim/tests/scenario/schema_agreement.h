// Shared harness of the schema agreement tests: the JSON Schema
// (scenarios/schema/scenario.schema.json, checked by check_scenarios.py with
// python3-jsonschema) and dlsim's own parsers (loadScenario +
// parseExpectations) must both reach each case's stated verdict.
#pragma once
#include <string>
#include <vector>

#include "sim/model_api/platform_model.h"

namespace dlsim::testing_scenario {

struct SchemaCase {
  const char* label;
  bool valid;  // the intended verdict, so schema and parser cannot agree on a wrong answer
  std::string text;
};

// Writes every case (and an img.bin they may load) into the test's scratch
// directory, runs the schema checker over the directory and the parsers over
// each file, and fails the test for every verdict that differs from the
// case's. Skips the test when python3-jsonschema is missing.
// `models`: the platform models whose sections and expectations the parsers know.
void expectSchemaAndParserAgree(const std::vector<SchemaCase>& cases, const ModelList& models = {});

}  // namespace dlsim::testing_scenario
