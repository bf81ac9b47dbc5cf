// Machine-readable JSON report (format documented in docs/report-format.md).
//
// One run:
//   { "version": 1, "result": "pass"|"fail"|"error", "scenario": {name, file},
//     "expected_failure": null | {"reason", "failed_as_expected"},
//     "error": null | {"kind": "input"|"internal", "message"},
//     "stop": null | {reason, cpu (int|null), address "0x..", detail},
//     "instructions", "trace_hash",
//     "cpus": [{id, state, mode, registers {name: "0x.."}, instructions,
//               monitor_address? "0x..", exception_chain? [..]}],
//     "serial": {"com1": text, ...}, "vga": text, "events": [..],
//     "checks": [{name, ok, expected, actual}] }
// Several runs: { "version": 1, "runs": [ <run without "version">, ... ] }.
// Everything is deterministic; "host_seconds" appears only when asked for.
// Text that is not valid UTF-8 (guest output) has bad bytes replaced by U+FFFD.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/report/report.h"

namespace dlsim {

struct JsonReportOptions {
  bool includeHostTime = false;  // adds "host_seconds" (nondeterministic)
  // The {"version": 1, "runs": [...]} form even for one run: a run of several
  // scenarios writes its report after each one, always in this form.
  bool alwaysRunsArray = false;
};

// One run's object (without "version").
nlohmann::json runToJson(const Report& report, const JsonReportOptions& options = {});
// The whole document: one run -> that run plus "version" (unless
// alwaysRunsArray); otherwise the {"version": 1, "runs": [...]} wrapper (also
// for zero runs).
nlohmann::json reportsToJson(const std::vector<Report>& reports, const JsonReportOptions& options = {});
// reportsToJson pretty-printed (2 spaces), ending in a newline.
std::string writeJsonReport(const std::vector<Report>& reports, const JsonReportOptions& options = {});

}  // namespace dlsim
