// Turns Expectations plus an Observation into named pass/fail checks. One check
// per expectation item, in the order of the `expect` section's documentation
// (stop, cpus, memory, serial, vga, instructions), with stable names such as
// "stop.reason", "cpu0.rax", "memory@0x1000[4]", "serial.com1 contains \"Hello\"".
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/checks/expectations.h"
#include "sim/observation.h"

namespace dlsim {

struct CheckResult {
  std::string name;
  bool ok = false;
  nlohmann::json expected;  // u64 values as "0x..." strings
  nlohmann::json actual;    // or a phrase: "no such cpu", "not RAM", ...
};

std::vector<CheckResult> evaluate(const Expectations& expect, const Observation& obs);

}  // namespace dlsim
