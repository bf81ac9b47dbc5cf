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
#include "sim/report/tpm_observation.h"

namespace dlsim {

struct CheckResult {
  std::string name;
  bool ok = false;
  nlohmann::json expected;  // u64 values as "0x..." strings
  nlohmann::json actual;    // or a phrase: "no such cpu", "not RAM", ...
};

// TPM expectations fail with "no TPM" here: use the overload below.
std::vector<CheckResult> evaluate(const Expectations& expect, const Observation& obs);
// Same, with the TPM checks (pcrs, event_log_replays, tpm) after the others;
// `tpm` is null when the machine has no TPM.
std::vector<CheckResult> evaluate(const Expectations& expect, const Observation& obs, const TpmObservation* tpm);

}  // namespace dlsim
