// dlsim-schema CORE: prints the scenario JSON Schema assembled from the core
// schema file and every platform model's fragment, formatted as committed in
// scenarios/schema/scenario.schema.json (regenerate it with
// `dlsim-schema scenarios/schema/core.schema.json > scenarios/schema/scenario.schema.json`;
// the CTest scenario-schema-assembled fails while they differ).
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>

#include "models/model_list.h"
#include "sim/scenario/scenario_schema.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: dlsim-schema CORE_SCHEMA\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open\n", argv[1]);
      return 2;
    }
    nlohmann::ordered_json core = nlohmann::ordered_json::parse(in);
    std::cout << dlsim::assembleScenarioSchema(core, dlsim::platformModels()).dump(2) << "\n";
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[1], e.what());
    return 2;
  }
  return 0;
}
