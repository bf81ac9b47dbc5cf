// The `dlsim` command: argument parsing only; everything else lives in the
// libraries (sim/machine/runner.h, sim/report/*).
//
// Exit status (for CI): 0 every expectation held, 1 an expectation failed,
// 2 bad input (scenario or image), 3 internal error.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "sim/checks/expectations.h"
#include "sim/errors.h"
#include "sim/machine/runner.h"
#include "sim/machine/version.h"
#include "sim/report/json_report.h"
#include "sim/report/junit_report.h"
#include "sim/report/text_report.h"
#include "sim/scenario/scenario_parser.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/pcr_replay.h"

namespace {

constexpr const char* kRunHelp = R"(Run scenarios and check their expectations.

Each SCENARIO is a JSON file (format: docs/scenario-format.md, schema:
scenarios/schema/scenario.schema.json). dlsim builds the machine it
describes, loads its images, boots the first CPU, runs until a stop
condition (all CPUs halted, the stop address, a triple fault, the
instruction budget, an unmapped access) and checks the "expect" section.

Examples:
  dlsim run scenarios/core/boot-modes.json
  dlsim run scenarios/core/*.json --junit results.xml --json results.json
  dlsim run my.json --trace trace.txt --max-instructions 1000000

Exit status: 0 all expectations held, 1 an expectation failed (or an
expected failure passed), 2 bad input (scenario or image), 3 internal error.)";

constexpr const char* kEventlogHelp = R"(Print a TPM event log, one event per line (or as JSON).

FILE is a TCG crypto-agile log (TPM 2.0: Spec ID Event03 header, then
TCG_PCR_EVENT2 records, e.g. /sys/kernel/security/tpm0/binary_bios_measurements),
a SHA-1 log (TPM 1.2 / tboot TCG_PCR_EVENT records), or a TXT container
dump: the 28-byte HEAP_EVENT_LOG_POINTER_ELEMENT2_1 (type 8) followed by the
container's allocated bytes, or a TPM 1.2 TXT Event Container (txt12-container).
--format auto picks by content.
--replay adds the PCR values the log implies, by PCR := H(PCR || digest),
starting from the values --initial names (dynamic-launch: PCR 17-22 zero as
after _TPM_Hash_End; startup: PCR 17-22 all ones; zero).

Examples:
  dlsim eventlog /sys/kernel/security/tpm0/binary_bios_measurements
  dlsim eventlog drtm-log.bin --json --replay
  dlsim eventlog heap-log.bin --format txt-container

Exit status: 0 the log parsed, 2 bad input (the message names the file,
byte offset and field).)";

int eventlogCommand(const std::string& path, const std::string& formatName, bool json, bool replay,
                    const std::string& initialName) {
  namespace ev = dlsim::tpm::evlog;
  auto format = ev::inputFormatFromName(formatName);
  if (!format) {
    std::cerr << "dlsim: eventlog " << path << ": unknown --format " << formatName << "\n";
    return 2;
  }
  ev::InitialPcrs initial = ev::InitialPcrs::kAfterDynamicLaunch;
  if (initialName == "startup") initial = ev::InitialPcrs::kAfterStartup;
  else if (initialName == "zero") initial = ev::InitialPcrs::kAllZero;
  try {
    ev::EventLog log = ev::loadEventLogFile(path, *format);
    std::optional<ev::ReplayResult> replayed;
    if (replay) replayed = ev::replayEventLog(log, ev::initialPcrValues(log.banks(), initial));
    if (json) {
      std::cout << ev::renderEventLogJson(log, replayed ? &*replayed : nullptr);
    } else {
      std::cout << ev::renderEventLogText(log);
      if (replayed) std::cout << "replayed PCRs (start: " << initialName << ")\n" << ev::renderReplayText(*replayed);
    }
  } catch (const dlsim::InputError& e) {
    std::cerr << "dlsim: eventlog: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int runCommand(const std::vector<std::string>& scenarios, const std::string& jsonPath, const std::string& junitPath,
               const std::string& tracePath, std::optional<uint64_t> maxInstructions, bool hostTime,
               const std::string& tpmEngine) {
  const bool tty = isatty(STDERR_FILENO);
  std::vector<dlsim::Report> reports;
  for (const auto& path : scenarios) {
    dlsim::RunOptions opt;
    opt.maxInstructions = maxInstructions;
    if (!tpmEngine.empty()) opt.modelOverrides["tpm"].push_back("engine=" + tpmEngine);
    if (!tracePath.empty()) opt.traceFile = scenarios.size() == 1 ? tracePath : tracePath + "." + std::to_string(reports.size());
    if (tty) {
      opt.progress = [&path](uint64_t n) {
        std::fprintf(stderr, "\r%s: %llu M instructions", path.c_str(), static_cast<unsigned long long>(n / 1000000));
        std::fflush(stderr);
      };
    }
    reports.push_back(dlsim::runScenarioFile(path, opt));
    if (tty) std::fprintf(stderr, "\r\033[K");
    dlsim::TextReportOptions to;
    to.colour = isatty(STDOUT_FILENO);
    to.includeHostTime = hostTime;
    std::cout << dlsim::writeTextReport(reports.back(), to) << std::flush;
  }
  if (reports.size() > 1) {
    int pass = 0, fail = 0, error = 0;
    for (const auto& r : reports) {
      if (r.result == "pass") ++pass;
      else if (r.result == "fail") ++fail;
      else ++error;
    }
    std::cout << pass << " passed, " << fail << " failed, " << error << " errors\n";
  }
  int code = dlsim::exitCode(reports);
  if (!jsonPath.empty()) {
    dlsim::JsonReportOptions jo;
    jo.includeHostTime = hostTime;
    if (!writeFile(jsonPath, dlsim::writeJsonReport(reports, jo))) {
      std::cerr << "dlsim: --json " << jsonPath << ": cannot write the file\n";
      code = std::max(code, 2);
    }
  }
  if (!junitPath.empty()) {
    dlsim::JunitReportOptions jo;
    jo.includeHostTime = hostTime;
    if (!writeFile(junitPath, dlsim::writeJunitReport(reports, jo))) {
      std::cerr << "dlsim: --junit " << junitPath << ": cannot write the file\n";
      code = std::max(code, 2);
    }
  }
  return code;
}

int validateCommand(const std::vector<std::string>& scenarios) {
  int code = 0;
  for (const auto& path : scenarios) {
    try {
      dlsim::validateScenarioFile(path);
      std::cout << "ok     " << path << "\n";
    } catch (const dlsim::InputError& e) {
      std::cout << "error  " << e.what() << "\n";
      code = 2;
    }
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dlsim: a deterministic x86 platform simulator for testing dynamic launch (Intel TXT, AMD SKINIT)"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");

  std::vector<std::string> runFiles;
  std::string jsonPath, junitPath, tracePath;
  std::optional<uint64_t> maxInstructions;
  bool hostTime = false;
  CLI::App* run = app.add_subcommand("run", "Run scenarios and check their expectations");
  run->footer(kRunHelp);
  run->add_option("SCENARIO", runFiles, "Scenario JSON files")->required()->check(CLI::ExistingFile);
  run->add_option("--json", jsonPath, "Write the JSON report (format: docs/report-format.md) to FILE");
  run->add_option("--junit", junitPath, "Write a JUnit XML report to FILE (one testcase per scenario)");
  run->add_option("--trace", tracePath, "Write every executed instruction, per CPU, with disassembly to FILE");
  run->add_option("--max-instructions", maxInstructions,
                  "Instruction budget for each run (overrides machine.max_instructions)")
      ->check(CLI::PositiveNumber);
  run->add_flag("--host-time", hostTime, "Add host wall time to the reports (not deterministic)");
  std::string tpmEngine;
  run->add_option("--tpm-engine", tpmEngine, "TPM engine for scenarios with a TPM: dlsim or libtpms (overrides tpm.engine)")
      ->check(CLI::IsMember({"dlsim", "libtpms"}));

  std::vector<std::string> validateFiles;
  CLI::App* validate = app.add_subcommand("validate", "Check scenario files without running them");
  validate->add_option("SCENARIO", validateFiles, "Scenario JSON files")->required();

  std::string eventlogFile, eventlogFormat = "auto", eventlogInitial = "dynamic-launch";
  bool eventlogJson = false, eventlogReplay = false;
  CLI::App* eventlog = app.add_subcommand("eventlog", "Print a TPM event log (TCG crypto-agile, SHA-1 or TXT container)");
  eventlog->footer(kEventlogHelp);
  eventlog->add_option("FILE", eventlogFile, "Event log file")->required();
  eventlog->add_flag("--json", eventlogJson, "Print JSON instead of text");
  eventlog->add_option("--format", eventlogFormat, "Input format: auto, tcg2, sha1, txt-container, txt12-container (default auto)")
      ->check(CLI::IsMember({"auto", "tcg2", "sha1", "txt-container", "txt12-container"}));
  eventlog->add_flag("--replay", eventlogReplay, "Also print the PCR values the log implies");
  eventlog->add_option("--initial", eventlogInitial,
                       "PCR start values for --replay: dynamic-launch (default), startup, zero")
      ->check(CLI::IsMember({"dynamic-launch", "startup", "zero"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (version) {
    std::cout << "dlsim " << dlsim::versionString() << "\n";
    return 0;
  }
  try {
    if (*run) return runCommand(runFiles, jsonPath, junitPath, tracePath, maxInstructions, hostTime, tpmEngine);
    if (*validate) return validateCommand(validateFiles);
    if (*eventlog) return eventlogCommand(eventlogFile, eventlogFormat, eventlogJson, eventlogReplay, eventlogInitial);
  } catch (const std::exception& e) {
    std::cerr << "dlsim: internal error: " << e.what() << "\n";
    return 3;
  }
  std::cout << app.help();
  return 0;
}
