// The outcome of one scenario run, the rule that turns its checks into
// pass / fail (including expected failures), and dlsim's exit status for a
// set of runs. The JSON, text and JUnit writers all read this one struct.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/checks/check_runner.h"
#include "sim/observation.h"
#include "sim/symbol_map.h"
#include "sim/model_api/platform_model.h"

namespace dlsim {

namespace run_result {
inline constexpr const char* kPass = "pass";
inline constexpr const char* kFail = "fail";
inline constexpr const char* kError = "error";
}  // namespace run_result

// Why a run has result "error": it decides the exit status.
enum class ErrorKind {
  kNone,      // not an error
  kInput,     // bad scenario / image / table (InputError): exit 2
  kInternal,  // anything else that escaped dlsim: exit 3
};

// What one scenario "load" entry placed (JSON "loads").
struct LoadSummary {
  std::string summary;  // the loader's one line
  // The gzip'd files it inflated (the image, then modules in order).
  struct Decompressed {
    std::string file;
    uint64_t fileBytes = 0, bytes = 0;
  };
  std::vector<Decompressed> decompressed;
};

struct Report {
  std::string scenarioName, scenarioFile;
  std::optional<std::string> expectedFailure;  // the scenario's expected_failure.reason
  std::string result;                          // run_result::kPass | kFail | kError
  std::string error;                           // the message when result == "error"
  ErrorKind errorKind = ErrorKind::kNone;
  Observation obs;
  std::vector<ModelObservationEntry> models;  // each installed platform model's, once the machine ran
  std::vector<CheckResult> checks;
  double hostSeconds = 0;  // wall time; nondeterministic, so left out of reports unless asked
  std::optional<uint64_t> traceTruncatedAt;  // --trace stopped at this many bytes (--trace-limit)
  std::vector<LoadSummary> loads;  // one per scenario load entry, once the images are loaded
  // --symbols and the load entries' "symbols" (null when none): the reports
  // show symbol+offset next to addresses.
  std::shared_ptr<const SymbolMap> symbols;
};

// Name of the check added when an expected failure passes.
inline constexpr const char* kExpectedFailureCheck = "expected_failure";

// Sets report.result from report.checks (does nothing to an "error" report):
// all checks ok -> "pass", any failed -> "fail". With expectedFailure set a
// failing run is a "pass" (an XFAIL) and a passing run is a "fail", recorded
// as an extra failed check named "expected_failure". Returns the result.
std::string decideResult(Report& report);

// Marks the report as an error of the given kind (result "error").
void setError(Report& report, ErrorKind kind, const std::string& message);

// True for a run that passed only because its expected failure happened.
bool isExpectedFailure(const Report& report);

// The first letter-capitalised word used in text output: PASS, FAIL, XFAIL, ERROR.
std::string resultLabel(const Report& report);

// 0 all pass, 1 any fail, 2 any input error, 3 any internal error (the
// highest applicable code wins; an "error" without a kind counts as internal).
int exitCode(const std::vector<Report>& reports);

}  // namespace dlsim
