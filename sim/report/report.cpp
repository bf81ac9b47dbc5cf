// Result decision and exit status for reports.
#include "sim/report/report.h"

#include <algorithm>

namespace dlsim {

namespace {

bool anyCheckFailed(const Report& r) {
  return std::any_of(r.checks.begin(), r.checks.end(), [](const CheckResult& c) { return !c.ok; });
}

}  // namespace

std::string decideResult(Report& report) {
  if (report.result == run_result::kError) return report.result;
  // Idempotent: a check added by an earlier call is not one of the scenario's.
  std::erase_if(report.checks, [](const CheckResult& c) { return c.name == kExpectedFailureCheck; });
  bool failed = anyCheckFailed(report);
  if (!report.expectedFailure) {
    report.result = failed ? run_result::kFail : run_result::kPass;
    return report.result;
  }
  if (failed) {
    report.result = run_result::kPass;
  } else {
    report.checks.push_back({kExpectedFailureCheck, false, "the scenario fails (" + *report.expectedFailure + ")",
                             "the scenario unexpectedly passed"});
    report.result = run_result::kFail;
  }
  return report.result;
}

void setError(Report& report, ErrorKind kind, const std::string& message) {
  report.result = run_result::kError;
  report.errorKind = kind == ErrorKind::kNone ? ErrorKind::kInternal : kind;
  report.error = message;
}

bool isExpectedFailure(const Report& report) {
  return report.result == run_result::kPass && report.expectedFailure && anyCheckFailed(report);
}

std::string resultLabel(const Report& report) {
  if (report.result == run_result::kError) return "ERROR";
  if (report.result == run_result::kFail) return "FAIL";
  if (isExpectedFailure(report)) return "XFAIL";
  if (report.result == run_result::kPass) return "PASS";
  return "ERROR";  // an undecided report is a bug in the caller
}

int exitCode(const std::vector<Report>& reports) {
  int code = 0;
  for (const Report& r : reports) {
    int c = 0;
    if (r.result == run_result::kPass)
      c = 0;
    else if (r.result == run_result::kFail)
      c = 1;
    else if (r.result == run_result::kError && r.errorKind == ErrorKind::kInput)
      c = 2;
    else
      c = 3;  // internal error, or a result nobody decided
    code = std::max(code, c);
  }
  return code;
}

}  // namespace dlsim
