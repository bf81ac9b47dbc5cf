// One named check of a run: what was expected and what the run left behind.
// Produced by the core checks (check_runner) and by each platform model's
// expectations (sim/model_api), consumed by the report writers.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace dlsim {

struct CheckResult {
  std::string name;
  bool ok = false;
  nlohmann::json expected;  // u64 values as "0x..." strings
  nlohmann::json actual;    // or a phrase: "no such cpu", "not RAM", ...
};

}  // namespace dlsim
