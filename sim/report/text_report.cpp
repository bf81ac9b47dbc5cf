// Formats reports for people reading a terminal or a CI log.
#include "sim/report/text_report.h"

#include <algorithm>
#include <cstdio>

#include "sim/hex.h"
#include "sim/report/printable_text.h"
#include "sim/report/symbol_text.h"

namespace dlsim {

using nlohmann::json;

namespace {

std::string colourOf(const std::string& label) {
  if (label == "PASS") return "\033[32m";
  if (label == "XFAIL") return "\033[33m";
  if (label == "FAIL") return "\033[31m";
  return "\033[1;31m";
}

// A check value as compact JSON (strings quoted), safe for a terminal.
std::string value(const json& v) {
  return printableText(v.dump(-1, ' ', false, json::error_handler_t::replace), false);
}

std::string headline(const Report& r, const TextReportOptions& o) {
  std::string label = resultLabel(r);
  std::string out = o.colour ? colourOf(label) + label + "\033[0m" : label;
  out += ' ';  // appended, not `" " + text`: GCC 12 -O3's false -Wrestrict (see sim/loaders/placement.cpp)
  out += printableText(r.scenarioName.empty() ? r.scenarioFile : r.scenarioName, false);
  if (r.result == run_result::kError) {
    out += ": " + std::string(r.errorKind == ErrorKind::kInput ? "input error: " : "internal error: ") +
           printableText(r.error, false);
  } else {
    out += " (stop: " + (r.obs.stop.reason.empty() ? std::string("none") : r.obs.stop.reason);
    if (r.obs.stop.cpu >= 0) {
      out += " at cpu " + std::to_string(r.obs.stop.cpu) + " " + hex(r.obs.stop.address);
      const std::string sym = r.symbols ? r.symbols->describe(r.obs.stop.address) : std::string();
      if (!sym.empty()) out += " <" + printableText(sym, false) + ">";
    }
    out += "; " + std::to_string(r.obs.instructions) + " instructions)";
    if (r.expectedFailure) {
      out += isExpectedFailure(r) ? ": failed as expected: " : ": expected to fail: ";
      out += printableText(*r.expectedFailure, false);
    }
  }
  if (o.includeHostTime) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " [%.3fs]", r.hostSeconds);
    out += buf;
  }
  return out + "\n";
}

// One line per scripted DMA step: who, what, when and what came of it.
std::string dmaStepLine(const DmaStepObservation& d) {
  std::string out = "  dma step " + std::to_string(d.step) + ": requester " + hex(d.requester) + " " +
                    (d.write ? "write to " : "read from ") + hex(d.address) + " (" + std::to_string(d.length) +
                    " bytes): " + d.result;
  if (d.result == dma_result::kNotRun) return out + "\n";
  out += " at " + std::to_string(d.instructions) + " instructions";
  if (d.cpu >= 0) out += " (cpu " + std::to_string(d.cpu) + ")";
  if (d.result == dma_result::kBlocked) {
    out += ", by " + printableText(d.protection, false);
    if (!d.region.empty())
      out += " in " + printableText(d.region, false) + " [" + hex(d.regionBase) + ", " +
             hex(d.regionBase + d.regionSize) + ")";
  }
  if (!d.write && d.result != dma_result::kBlocked) {
    const size_t shown = std::min<size_t>(d.bytes.size(), 32);
    out += ", read " + hexBytes(d.bytes.data(), shown) + (shown < d.bytes.size() ? "..." : "");
  }
  return out + "\n";
}

// With symbols: each CPU's final state and where it is, and its exception
// chain, each address as symbol+offset.
std::string cpuLines(const Report& r) {
  std::string out;
  for (const CpuObservation& c : r.obs.cpus) {
    std::string line = "  cpu" + std::to_string(c.id) + ": " + c.state;
    if (auto a = cpuCodeAddress(c)) {
      line += " at " + hex(*a);
      const std::string sym = r.symbols->describe(*a);
      if (!sym.empty()) line += " <" + sym + ">";
    }
    line += " (" + c.mode + " mode)";
    for (const std::string& e : c.exceptionChain) line += "; " + withSymbols(e, r.symbols.get());
    out += printableText(line, false) + "\n";
  }
  return out;
}

}  // namespace

std::string lastLines(const std::string& text, size_t lines) {
  if (lines == 0 || text.empty()) return {};
  size_t end = text.size();
  if (text[end - 1] == '\n') --end;  // a final newline ends the last line
  size_t start = end;
  size_t found = 0;
  while (start > 0) {
    if (text[start - 1] == '\n' && ++found == lines) break;
    --start;
  }
  return text.substr(start, end - start);
}

std::string writeTextReport(const Report& r, const TextReportOptions& o) {
  std::string out = headline(r, o);
  for (const LoadSummary& l : r.loads)
    for (const auto& f : l.decompressed)
      out += printableText("  decompressed " + f.file + " (gzip): " + std::to_string(f.fileBytes) + " -> " +
                               std::to_string(f.bytes) + " bytes",
                           false) +
             "\n";
  if (r.symbols && r.result != run_result::kError) out += cpuLines(r);
  for (const auto& d : r.obs.dma) out += dmaStepLine(d);
  for (const auto& c : r.checks) {
    if (c.ok) continue;
    out += "  failed check " + printableText(c.name, false) + ": expected " + value(c.expected) + ", actual " +
           value(c.actual) + "\n";
  }
  bool passed = r.result == run_result::kPass && !isExpectedFailure(r);
  if (passed && !o.verbose) return out;
  if (!r.obs.stop.detail.empty())
    out += "  stop detail: " + printableText(withSymbols(r.obs.stop.detail, r.symbols.get()), false) + "\n";
  for (const BrokenRule& b : r.obs.brokenRules) {
    std::string line = "  broken launch rule " + b.id + " (" + b.reference + ", " + ruleModeName(b.mode) + ")";
    if (b.cpu >= 0) line += " on cpu " + std::to_string(b.cpu) + withSymbols(" at " + hex(b.address), r.symbols.get());
    if (!b.detail.empty()) line += ": " + b.detail;
    out += printableText(line, false) + "\n";
  }
  for (const ModelObservationEntry& m : r.models)
    out += printableText(o.verbose ? m.obs->detailText() : m.obs->text(), true);
  for (const auto& [port, text] : r.obs.serial) {
    std::string tail = lastLines(printableText(text, true), o.serialTailLines);
    if (tail.empty()) continue;
    out += "  " + port + ", last " + std::to_string(o.serialTailLines) + " lines:\n";
    size_t pos = 0;
    while (pos <= tail.size()) {
      size_t nl = tail.find('\n', pos);
      if (nl == std::string::npos) nl = tail.size();
      out += "    | " + tail.substr(pos, nl - pos) + "\n";
      pos = nl + 1;
    }
  }
  return out;
}

std::string writeTextReport(const std::vector<Report>& reports, const TextReportOptions& o) {
  std::string out;
  size_t pass = 0, fail = 0, xfail = 0, error = 0;
  for (const auto& r : reports) {
    out += writeTextReport(r, o);
    std::string label = resultLabel(r);
    if (label == "PASS")
      ++pass;
    else if (label == "XFAIL")
      ++xfail;
    else if (label == "FAIL")
      ++fail;
    else
      ++error;
  }
  if (reports.size() != 1)
    out += std::to_string(reports.size()) + " scenarios: " + std::to_string(pass) + " passed, " +
           std::to_string(fail) + " failed, " + std::to_string(xfail) + " expected failures, " +
           std::to_string(error) + " errors\n";
  return out;
}

}  // namespace dlsim
