// `dlsim run` and `dlsim validate` behind the command-line parsing of
// tools/dlsim_main.cpp. Messages go to `err` in one form,
// "FILE: /json/pointer: message" for scenario and image errors and
// "dlsim: run: --option ...: message" for command-line ones; reports to `out`.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dlsim::cli {

struct RunCommandOptions {
  std::vector<std::string> scenarios;
  std::string jsonPath, junitPath, tracePath, eventLogOutPath;  // "" = not asked for
  std::optional<std::string> maxInstructions;                   // as typed: parsed and range-checked here
  std::optional<uint64_t> traceLimitBytes;                      // --trace-limit (default: TraceWriter's)
  bool hostTime = false;
  bool verbose = false;   // --verbose: the full text block for every scenario (TextReportOptions::verbose)
  std::string tpmEngine;  // "" | "dlsim" | "libtpms"
  std::vector<std::string> symbolFiles;  // --symbols (System.map format), for every scenario
};

// Exit status: 0 pass, 1 fail, 2 bad input, 3 internal error, 128 + signal
// when SIGINT/SIGTERM ended the run (the reports keep the scenarios that finished).
int runCommand(const RunCommandOptions& options, std::ostream& out, std::ostream& err);

// Builds each scenario's machine and loads its images without running it:
// refuses all that `run` refuses as bad input. Exit status 0, 2 or 3.
int validateCommand(const std::vector<std::string>& scenarios, std::ostream& out, std::ostream& err);

}  // namespace dlsim::cli
