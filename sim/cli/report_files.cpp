#include "sim/cli/report_files.h"

#include "sim/report/json_report.h"
#include "sim/report/junit_report.h"

namespace dlsim::cli {

ReportFiles::ReportFiles(std::optional<OutputFile> json, std::optional<OutputFile> junit, bool includeHostTime,
                         bool severalScenarios)
    : json_(std::move(json)), junit_(std::move(junit)), hostTime_(includeHostTime), several_(severalScenarios) {}

void ReportFiles::write(const std::vector<Report>& reports, bool final) const {
  if (json_ && (final || !isStream(json_->path))) {
    JsonReportOptions o;
    o.includeHostTime = hostTime_;
    // Until its one run has finished, a one-scenario report is the empty {"runs": []}.
    o.alwaysRunsArray = several_ || reports.empty();
    writeWholeFile(*json_, writeJsonReport(reports, o));
  }
  if (junit_ && (final || !isStream(junit_->path))) {
    JunitReportOptions o;
    o.includeHostTime = hostTime_;
    writeWholeFile(*junit_, writeJunitReport(reports, o));
  }
}

}  // namespace dlsim::cli
