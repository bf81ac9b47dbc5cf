// Builds the JSON report from Report structs.
#include "sim/report/json_report.h"

#include "sim/hex.h"
#include "sim/report/symbol_text.h"

namespace dlsim {

using nlohmann::json;

namespace {

// The symbol+offset of an address (null when none is near); only called
// when the run has symbols.
json symbolOf(const SymbolMap& symbols, std::optional<uint64_t> address) {
  if (!address) return nullptr;
  const std::string s = symbols.describe(*address);
  return s.empty() ? json(nullptr) : json(s);
}

json cpuToJson(const CpuObservation& c, const SymbolMap* symbols) {
  json j = json::object();
  j["id"] = c.id;
  j["state"] = c.state;
  j["mode"] = c.mode;
  json regs = json::object();
  for (const auto& [name, value] : c.registers) regs[name] = hex(value);
  j["registers"] = regs;
  if (symbols) j["rip_symbol"] = symbolOf(*symbols, cpuCodeAddress(c));
  j["instructions"] = c.instructions;
  if (c.monitorArmed) j["monitor_address"] = hex(c.monitorAddress);
  if (!c.exceptionChain.empty()) {
    j["exception_chain"] = c.exceptionChain;
    if (symbols) {
      json syms = json::array();
      for (const std::string& e : c.exceptionChain) syms.push_back(symbolOf(*symbols, namedAddress(e)));
      j["exception_chain_symbols"] = syms;
    }
  }
  return j;
}

json stopToJson(const StopInfo& s, const SymbolMap* symbols) {
  if (s.reason.empty()) return nullptr;
  json j = json::object();
  j["reason"] = s.reason;
  j["cpu"] = s.cpu < 0 ? json(nullptr) : json(s.cpu);
  j["address"] = hex(s.address);
  if (symbols) j["symbol"] = s.cpu < 0 ? json(nullptr) : symbolOf(*symbols, s.address);
  j["detail"] = s.detail;
  return j;
}

json dmaStepToJson(const DmaStepObservation& d) {
  json j = json::object();
  j["step"] = d.step;
  j["requester"] = hex(d.requester);
  j["access"] = d.write ? "write" : "read";
  j["address"] = hex(d.address);
  j["length"] = d.length;
  j["result"] = d.result;
  const bool ran = d.result != dma_result::kNotRun;
  j["instructions"] = ran ? json(d.instructions) : json(nullptr);
  j["cpu"] = d.cpu < 0 ? json(nullptr) : json(d.cpu);
  if (d.result == dma_result::kBlocked) {
    j["protection"] = d.protection;
    j["region"] = d.region.empty() ? json(nullptr)
                                   : json{{"name", d.region},
                                          {"base", hex(d.regionBase)},
                                          {"end", hex(d.regionBase + d.regionSize)}};
  }
  if (!d.write && ran) j["bytes"] = hexBytes(d.bytes.data(), d.bytes.size());
  return j;
}

}  // namespace

json runToJson(const Report& r, const JsonReportOptions& options) {
  json j = json::object();
  j["result"] = r.result;
  j["scenario"] = {{"name", r.scenarioName}, {"file", r.scenarioFile}};
  if (r.expectedFailure)
    j["expected_failure"] = {{"reason", *r.expectedFailure}, {"failed_as_expected", isExpectedFailure(r)}};
  else
    j["expected_failure"] = nullptr;
  if (r.result == run_result::kError)
    j["error"] = {{"kind", r.errorKind == ErrorKind::kInput ? "input" : "internal"}, {"message", r.error}};
  else
    j["error"] = nullptr;
  const SymbolMap* symbols = r.symbols.get();
  j["stop"] = stopToJson(r.obs.stop, symbols);
  j["instructions"] = r.obs.instructions;
  j["trace_hash"] = r.obs.traceHash;
  j["engine"] = {{"unicorn", r.obs.engine.unicornVersion},
                 {"unicorn_build_id", r.obs.engine.unicornBuildId},
                 {"unicorn_package", r.obs.engine.unicornPackage},
                 {"exit_check_switch", r.obs.engine.exitCheckSwitch}};
  json cpus = json::array();
  for (const auto& c : r.obs.cpus) cpus.push_back(cpuToJson(c, symbols));
  j["cpus"] = cpus;
  json serial = json::object();
  for (const auto& [port, text] : r.obs.serial) serial[port] = text;
  j["serial"] = serial;
  j["vga"] = r.obs.vga;
  j["events"] = r.obs.events;
  json rules = json::array();
  for (const BrokenRule& b : r.obs.brokenRules)
    rules.push_back({{"id", b.id},
                     {"reference", b.reference},
                     {"summary", b.summary},
                     {"mode", ruleModeName(b.mode)},
                     {"cpu", b.cpu < 0 ? json(nullptr) : json(b.cpu)},
                     {"address", hex(b.address)},
                     {"detail", b.detail}});
  if (symbols)
    for (size_t i = 0; i < r.obs.brokenRules.size(); ++i)
      rules[i]["symbol"] = r.obs.brokenRules[i].cpu < 0 ? json(nullptr) : symbolOf(*symbols, r.obs.brokenRules[i].address);
  j["broken_launch_rules"] = rules;
  if (!r.obs.dma.empty()) {
    json dma = json::array();
    for (const auto& d : r.obs.dma) dma.push_back(dmaStepToJson(d));
    j["dma"] = dma;
  }
  json loads = json::array();
  for (const LoadSummary& l : r.loads) {
    json d = json::array();
    for (const auto& f : l.decompressed)
      d.push_back({{"file", f.file}, {"format", "gzip"}, {"file_bytes", f.fileBytes}, {"bytes", f.bytes}});
    loads.push_back({{"summary", l.summary}, {"decompressed", d}});
  }
  j["loads"] = loads;
  for (const ModelObservationEntry& m : r.models) m.obs->addToJson(j);
  json checks = json::array();
  for (const auto& c : r.checks)
    checks.push_back({{"name", c.name}, {"ok", c.ok}, {"expected", c.expected}, {"actual", c.actual}});
  j["checks"] = checks;
  if (r.traceTruncatedAt) j["trace_truncated_at_bytes"] = *r.traceTruncatedAt;
  if (options.includeHostTime) j["host_seconds"] = r.hostSeconds;
  return j;
}

json reportsToJson(const std::vector<Report>& reports, const JsonReportOptions& options) {
  if (reports.size() == 1 && !options.alwaysRunsArray) {
    json j = runToJson(reports[0], options);
    j["version"] = 1;
    return j;
  }
  json runs = json::array();
  for (const auto& r : reports) runs.push_back(runToJson(r, options));
  return {{"version", 1}, {"runs", runs}};
}

std::string writeJsonReport(const std::vector<Report>& reports, const JsonReportOptions& options) {
  return reportsToJson(reports, options).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace dlsim
