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

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int runCommand(const std::vector<std::string>& scenarios, const std::string& jsonPath, const std::string& junitPath,
               const std::string& tracePath, std::optional<uint64_t> maxInstructions, bool hostTime) {
  const bool tty = isatty(STDERR_FILENO);
  std::vector<dlsim::Report> reports;
  for (const auto& path : scenarios) {
    dlsim::RunOptions opt;
    opt.maxInstructions = maxInstructions;
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
      dlsim::Scenario s = dlsim::loadScenario(path);
      dlsim::parseExpectations(s.expect, s.file);
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

  std::vector<std::string> validateFiles;
  CLI::App* validate = app.add_subcommand("validate", "Check scenario files without running them");
  validate->add_option("SCENARIO", validateFiles, "Scenario JSON files")->required();

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
    if (*run) return runCommand(runFiles, jsonPath, junitPath, tracePath, maxInstructions, hostTime);
    if (*validate) return validateCommand(validateFiles);
  } catch (const std::exception& e) {
    std::cerr << "dlsim: internal error: " << e.what() << "\n";
    return 3;
  }
  std::cout << app.help();
  return 0;
}
