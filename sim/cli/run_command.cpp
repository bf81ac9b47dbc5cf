#include "sim/cli/run_command.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>

#include "sim/cli/interrupt_signal.h"
#include "sim/cli/number_args.h"
#include "sim/cli/output_files.h"
#include "sim/cli/progress_printer.h"
#include "sim/cli/report_files.h"
#include "sim/errors.h"
#include "sim/machine/runner.h"
#include "sim/report/text_report.h"
#include "sim/symbol_map.h"

namespace dlsim::cli {

namespace {

std::optional<OutputFile> outputIf(const char* option, const std::string& path) {
  if (path.empty()) return std::nullopt;
  return OutputFile{option, path};
}

std::string signalName(int sig) { return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : std::to_string(sig); }

// --event-log-out: the bytes of the guest's DRTM event log as the run read
// them (the first model's ModelObservation::eventLogBytes: the TPM model's
// tpm.event_log, SINIT's log from the TXT heap, SKL's log in the SVM
// hand-off's area), in the form `dlsim eventlog` reads, to FILE; each
// further log a model read (ModelObservation::extraEventLogs, e.g. a PCR
// bank's own log) to FILE.<name>.
void writeEventLog(const Report& r, const OutputFile& file, std::ostream& err) {
  const std::vector<uint8_t>* log = nullptr;
  std::vector<ModelObservation::NamedEventLog> extras;
  for (const ModelObservationEntry& m : r.models) {
    if (!m.obs) continue;
    if (!log) log = m.obs->eventLogBytes();
    for (auto& e : m.obs->extraEventLogs()) extras.push_back(std::move(e));
  }
  for (const auto& e : extras)
    writeWholeFile(OutputFile{file.option, file.path + "." + e.name}, std::string(e.bytes.begin(), e.bytes.end()));
  if (!log) {
    err << file.option << " " << file.path << ": " << r.scenarioFile
        << ": no event log was read (none of its sources had one: the scenario's tpm.event_log, the SVM hand-off's"
           " log (svm.handoff.event_log, svm.event_log in the report), the TXT heap's event log pointer; or the run did"
           " not get that far); the file is left empty\n";
    writeWholeFile(file, "");
    return;
  }
  writeWholeFile(file, std::string(log->begin(), log->end()));
}

// The options, outputs and scenarios checked before anything runs.
struct Plan {
  std::optional<uint64_t> budget;
  std::vector<OutputFile> traces, eventLogs;  // one per scenario, or none
};

Plan plan(const RunCommandOptions& o) {
  Plan p;
  if (o.maxInstructions) p.budget = parseInstructionBudget(*o.maxInstructions);
  const size_t n = o.scenarios.size();
  for (size_t i = 0; i < n; ++i) {
    if (!o.tracePath.empty()) p.traces.push_back({"--trace", perScenarioPath(o.tracePath, i, n)});
    if (!o.eventLogOutPath.empty()) p.eventLogs.push_back({"--event-log-out", perScenarioPath(o.eventLogOutPath, i, n)});
  }
  std::vector<OutputFile> all;
  if (auto j = outputIf("--json", o.jsonPath)) all.push_back(*j);
  if (auto j = outputIf("--junit", o.junitPath)) all.push_back(*j);
  all.insert(all.end(), p.traces.begin(), p.traces.end());
  all.insert(all.end(), p.eventLogs.begin(), p.eventLogs.end());
  refuseSharedPaths(all, o.scenarios);
  for (const auto& f : all) refuseUnwritable(f);
  return p;
}

}  // namespace

int runCommand(const RunCommandOptions& o, std::ostream& out, std::ostream& err) {
  Plan p;
  std::shared_ptr<SymbolMap> symbols;
  const ReportFiles files(outputIf("--json", o.jsonPath), outputIf("--junit", o.junitPath), o.hostTime,
                          o.scenarios.size() > 1);
  try {
    p = plan(o);
    if (!o.symbolFiles.empty()) symbols = std::make_shared<SymbolMap>();
    for (const std::string& f : o.symbolFiles) try {
      symbols->addFile(f);
    } catch (const InputError& e) {
      throw InputError(std::string("--symbols: ") + e.what());
    }
    files.write({}, false);  // valid, empty reports from the start
  } catch (const InputError& e) {
    err << "dlsim: run: " << e.what() << "\n";
    return 2;
  }
  catchInterrupts();
  ProgressPrinter progress(stderr, isatty(STDERR_FILENO));
  TextReportOptions textOptions;
  textOptions.colour = colourWanted(STDOUT_FILENO);
  textOptions.includeHostTime = o.hostTime;
  textOptions.verbose = o.verbose;

  std::vector<Report> reports;
  int writeFailure = 0;
  int interrupted = 0;
  for (size_t i = 0; i < o.scenarios.size() && !interrupted; ++i) {
    const std::string& path = o.scenarios[i];
    RunOptions opt;
    opt.maxInstructions = p.budget;
    if (!o.tpmEngine.empty()) opt.modelOverrides["tpm"].push_back("engine=" + o.tpmEngine);
    if (!p.traces.empty()) opt.traceFile = p.traces[i].path;
    opt.traceLimitBytes = o.traceLimitBytes;
    opt.symbols = symbols;
    opt.progress = [&progress](uint64_t n, uint64_t budget) {
      throwIfInterrupted();
      progress.update(n, budget);
    };
    progress.start(path);
    try {
      throwIfInterrupted();
      reports.push_back(runScenarioFile(path, opt));
    } catch (const RunInterrupted& stop) {
      interrupted = stop.signal;
    }
    progress.finish();
    if (interrupted) {
      err << "dlsim: run: " << path << ": interrupted by " << signalName(interrupted) << "; the reports hold the "
          << reports.size() << " scenario(s) that finished\n";
      break;
    }
    const Report& r = reports.back();
    out << writeTextReport(r, textOptions) << std::flush;
    if (r.result == run_result::kError) err << r.error << "\n";
    if (r.traceTruncatedAt)
      err << "--trace " << opt.traceFile << ": cut at " << *r.traceTruncatedAt
          << " bytes (--trace-limit); the run went on\n";
    try {
      if (!p.eventLogs.empty()) writeEventLog(r, p.eventLogs[i], err);
      files.write(reports, false);
    } catch (const InputError& e) {
      err << "dlsim: run: " << e.what() << "\n";
      writeFailure = 2;
    }
    if (int sig = interruptSignal()) interrupted = sig;
  }
  try {
    files.write(reports, true);
  } catch (const InputError& e) {
    err << "dlsim: run: " << e.what() << "\n";
    writeFailure = 2;
  }
  if (reports.size() > 1 || interrupted) {
    int pass = 0, fail = 0, error = 0;
    for (const auto& r : reports) {
      if (r.result == run_result::kPass) ++pass;
      else if (r.result == run_result::kFail) ++fail;
      else ++error;
    }
    out << pass << " passed, " << fail << " failed, " << error << " errors";
    if (interrupted) out << ", interrupted after " << reports.size() << " of " << o.scenarios.size() << " scenarios";
    out << "\n";
  }
  if (interrupted) return 128 + interrupted;
  return std::max(exitCode(reports), writeFailure);
}

int validateCommand(const std::vector<std::string>& scenarios, std::ostream& out, std::ostream& err) {
  int code = 0;
  for (const auto& path : scenarios) {
    RunOptions opt;
    opt.setUpOnly = true;
    Report r = runScenarioFile(path, opt);
    if (r.result == run_result::kError) {
      out << "error  " << path << "\n" << std::flush;
      err << r.error << "\n";
      code = std::max(code, r.errorKind == ErrorKind::kInput ? 2 : 3);
    } else {
      out << "ok     " << path << "\n";
    }
  }
  return code;
}

}  // namespace dlsim::cli
