// The --json and --junit reports of one `dlsim run`, rewritten whole after
// every scenario: each file is a valid document from the start of the run (no
// runs yet) to its end, so a CI timeout or an interrupt keeps what finished.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/output_files.h"
#include "sim/report/report.h"

namespace dlsim::cli {

class ReportFiles {
 public:
  // `severalScenarios`: the JSON report uses the {"runs": [...]} form throughout.
  ReportFiles(std::optional<OutputFile> json, std::optional<OutputFile> junit, bool includeHostTime,
              bool severalScenarios);

  // Writes both reports for `reports` (the runs finished so far). A report
  // going to a stream (/dev/stdout, a pipe) is written only when `final`.
  // Throws InputError.
  void write(const std::vector<Report>& reports, bool final) const;

 private:
  std::optional<OutputFile> json_, junit_;
  bool hostTime_, several_;
};

}  // namespace dlsim::cli
