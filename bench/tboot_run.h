// One full run of a scenario for dlsim-tboot-bench, in this process, the way
// `dlsim run` does it (sim/machine/runner.cpp: parse, build the machine and
// its models, load the images, boot, run, observe, evaluate, write the
// report), with each step's host wall and thread CPU time. Optionally with a
// HostProbeRecorder installed (sim/host_probe.h): then the build step is
// split into the machine, each model, ACPI, the images and gunzip (area
// "build"), and the run step into interceptions, device accesses, TPM
// commands and hashing; that run is slower by the probes' own cost and is
// never one of the timed runs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/host_probe.h"

namespace dlsim::bench {

struct StepTime {
  std::string name;  // "parse", "build", "boot", "run", "report", "teardown"
  double wallUs = 0;
  double cpuUs = 0;
};

struct TbootRun {
  std::vector<StepTime> steps;  // in order
  double wallUs = 0;            // end to end (the steps' sum)
  double cpuUs = 0;
  std::string result;           // the report's result ("pass" when every check held)
  std::string stopReason;
  uint64_t instructions = 0;    // retired by all CPUs (virtual time)
  std::string traceHash;
  uint64_t serialBytes = 0;     // what the guest wrote to its serial port(s)
  std::string failedChecks;     // one line per failed check (empty when it passed)
};

// Runs `scenarioPath`. With `probes`, the recorder is installed for the whole
// run. Throws InputError when the scenario cannot be built.
TbootRun runScenarioTimed(const std::string& scenarioPath, HostProbeRecorder* probes = nullptr);

// Thread CPU and wall clocks in microseconds.
double threadCpuUs();
double wallClockUs();

}  // namespace dlsim::bench
