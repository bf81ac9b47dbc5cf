// Human-readable report: one line per scenario
//   "PASS|FAIL|XFAIL|ERROR name (stop: reason at cpu N 0x...; N instructions)"
// then, indented, each failed check with expected and actual values and, for a
// run that did not pass (every run with `verbose`), the stop detail, the
// models' lines and the last lines of serial output.
// A summary line ends a report of several runs. Output is stable (no times,
// no colours unless asked).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/report/report.h"

namespace dlsim {

struct TextReportOptions {
  bool colour = false;           // ANSI colour on the result word
  size_t serialTailLines = 20;   // lines of serial output shown for a failure
  bool includeHostTime = false;  // appends "[1.234s]" (nondeterministic)
  bool verbose = false;          // every run, passed or not, gets the full block: the models'
                                 // detailText() (TXT: registers, heap) and the serial tail
};

// The block for one run, every line ending in '\n'.
std::string writeTextReport(const Report& report, const TextReportOptions& options = {});
// Every run's block, then (for more than one run) a summary line:
// "N scenarios: P passed, F failed, X expected failures, E errors".
std::string writeTextReport(const std::vector<Report>& reports, const TextReportOptions& options = {});

// The last `lines` lines of `text` (a final newline does not start a new line).
std::string lastLines(const std::string& text, size_t lines);

}  // namespace dlsim
