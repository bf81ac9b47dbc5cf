// Writes the JUnit XML report.
#include "sim/report/junit_report.h"

#include <cstdio>

#include "sim/hex.h"
#include "sim/report/printable_text.h"

namespace dlsim {

using nlohmann::json;

namespace {

std::string escape(const std::string& text, bool attribute) {
  std::string safe = printableText(text, true);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\'': out += attribute ? "&apos;" : "'"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out += c;
    }
  }
  return out;
}

std::string value(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

std::string stopLine(const Report& r) {
  if (r.obs.stop.reason.empty()) return {};
  std::string s = "stop: " + r.obs.stop.reason;
  if (r.obs.stop.cpu >= 0) s += " at cpu " + std::to_string(r.obs.stop.cpu) + " " + hex(r.obs.stop.address);
  s += "; " + std::to_string(r.obs.instructions) + " instructions";
  if (!r.obs.stop.detail.empty()) s += " (" + r.obs.stop.detail + ")";
  return s + "\n";
}

std::string testcase(const Report& r, const JunitReportOptions& o) {
  std::string name = r.scenarioName.empty() ? r.scenarioFile : r.scenarioName;
  std::string out = "  <testcase name=\"" + xmlAttribute(name) + "\" classname=\"scenario\" file=\"" +
                    xmlAttribute(r.scenarioFile) + "\"";
  if (o.includeHostTime) out += " time=\"" + seconds(r.hostSeconds) + "\"";
  out += ">\n";
  if (r.result == run_result::kError) {
    std::string kind = r.errorKind == ErrorKind::kInput ? "input" : "internal";
    out += "    <error message=\"" + xmlAttribute(r.error) + "\" type=\"" + kind + "\">" +
           xmlText(kind + " error: " + r.error) + "</error>\n";
  } else if (r.result != run_result::kPass) {
    std::string names, body;
    size_t failed = 0;
    for (const auto& c : r.checks) {
      if (c.ok) continue;
      names += (failed++ ? ", " : "") + c.name;
      body += c.name + ": expected " + value(c.expected) + ", actual " + value(c.actual) + "\n";
    }
    std::string message = std::to_string(failed) + " of " + std::to_string(r.checks.size()) +
                          " checks failed: " + names;
    out += "    <failure message=\"" + xmlAttribute(message) + "\" type=\"checks\">" + xmlText(body + stopLine(r)) +
           "</failure>\n";
  }
  std::string sysout;
  if (isExpectedFailure(r)) sysout += "XFAIL: failed as expected: " + *r.expectedFailure + "\n";
  sysout += stopLine(r);
  for (const auto& [port, text] : r.obs.serial) {
    if (text.empty()) continue;
    sysout += "--- " + port + " ---\n" + text;
    if (text.back() != '\n') sysout += "\n";
  }
  if (!sysout.empty()) out += "    <system-out>" + xmlText(sysout) + "</system-out>\n";
  return out + "  </testcase>\n";
}

}  // namespace

std::string xmlText(const std::string& text) { return escape(text, false); }
std::string xmlAttribute(const std::string& text) { return escape(text, true); }

std::string writeJunitReport(const std::vector<Report>& reports, const JunitReportOptions& o) {
  size_t failures = 0, errors = 0;
  double total = 0;
  for (const auto& r : reports) {
    if (r.result == run_result::kError)
      ++errors;
    else if (r.result != run_result::kPass)
      ++failures;
    total += r.hostSeconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuite name=\"dlsim\" tests=\"" + std::to_string(reports.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"0\"";
  if (o.includeHostTime) out += " time=\"" + seconds(total) + "\"";
  out += ">\n";
  for (const auto& r : reports) out += testcase(r, o);
  return out + "</testsuite>\n";
}

}  // namespace dlsim
