// Where the time of SENTER -> MLE entry goes: each step SINIT takes, timed on
// its own with the TXT model's own functions, on the bytes SENTER found
// (senter_run.h) and the machine the launch left. The end-to-end figure
// minus the sum of these is what the platform adds around them (GETSEC's
// processor checks, rendezvous, state loads, scheduling).
#pragma once
#include <string>
#include <vector>

#include "bench/senter_run.h"

namespace dlsim::bench {

struct PhaseFigure {
  std::string name;   // "acm-load", "acm-checks", ...
  std::string what;   // one line: what is timed
  double medianUs = 0;
  bool measured = false;  // false: not available in this build (detail says why)
  std::string detail;
};

// Each phase `reps` times (median). Throws std::runtime_error when SENTER's
// bytes do not parse (the launch the scenario made was not a good one).
std::vector<PhaseFigure> measureSenterPhases(SenterRun& run, int reps);

}  // namespace dlsim::bench
