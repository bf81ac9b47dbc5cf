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
#include "sim/checks/check_result.h"
#include "sim/model_api/platform_model.h"

namespace dlsim {

// The core checks, then each platform model's checks against its
// observation in `models` (a model absent there gets a null observation: the
// machine did not carry it).
std::vector<CheckResult> evaluate(const Expectations& expect, const Observation& obs,
                                  const std::vector<ModelObservationEntry>& models = {});

}  // namespace dlsim
