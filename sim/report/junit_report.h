// JUnit XML report for CI systems: one <testsuite name="dlsim">, one
// <testcase classname="scenario"> per run. A failing run carries <failure>
// listing its failed checks, an errored run <error>, and every run its serial
// output in <system-out>. All text is escaped for XML 1.0; characters XML
// cannot carry (control characters, malformed UTF-8) appear as "\xNN".
#pragma once
#include <string>
#include <vector>

#include "sim/report/report.h"

namespace dlsim {

struct JunitReportOptions {
  bool includeHostTime = false;  // adds time="..." attributes (nondeterministic)
};

std::string writeJunitReport(const std::vector<Report>& reports, const JunitReportOptions& options = {});

// XML escaping of arbitrary bytes, after printableText: for text nodes ('<',
// '&', '>') and for attribute values (also quotes, tab and newline).
std::string xmlText(const std::string& text);
std::string xmlAttribute(const std::string& text);

}  // namespace dlsim
