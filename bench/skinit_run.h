// One measured AMD launch for dlsim-skinit-bench and dlsim-skl-bench: a
// scenario runs in this process (as `dlsim run` builds it) until a CPU
// reaches `stopAt` (the SLB entry, or the kernel hand-off after SKL), and the
// host wall and thread CPU time is taken at three moments: the run's start
// (the pre-launch driver's first instruction), a CPU reaching SKINIT
// (0F 01 DE, before it runs) and the stop address.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/host_probe.h"
#include "sim/scenario/scenario.h"

namespace dlsim::bench {

struct Span {
  double wallUs = 0;
  double cpuUs = 0;  // CLOCK_THREAD_CPUTIME_ID (all guest CPUs run on this thread)
};

struct SkinitRun {
  bool reachedSkinit = false;
  bool reachedStop = false;  // the run ended at stopAt
  Span toSkinit;             // run start -> SKINIT reached
  Span skinitToStop;         // SKINIT reached -> stopAt reached
  Span total;                // run start -> stopAt reached
  int cpus = 0;
  int skinitCpu = -1;
  uint32_t skinitEax = 0;            // EAX at SKINIT: the SLB base (low 16 bits are cleared by SKINIT)
  uint64_t skinitAddress = 0;        // where SKINIT was executed
  uint64_t instructionsAtSkinit = 0;  // virtual time when SKINIT was reached
  uint64_t instructionsAtEnd = 0;
  std::string stopReason, stopDetail;
  int stopCpu = -1;
  uint64_t stopAddress = 0;     // the stopping CPU's instruction pointer (linear)
  std::string serial;           // COM1 text at the end
  std::string traceHash;
  // The scenario's own "expect.pcrs" checks (values computed outside dlsim,
  // e.g. scenarios/amd/expected_pcr17.py) evaluated at the stop: SKINIT's
  // measurement is complete at SLB entry. Other expectations describe the
  // scenario's full run and are not evaluated.
  int pcrChecks = 0;
  std::vector<std::string> pcrFailures;  // "name: expected X, got Y"
};

// Runs `s` with its stop replaced by `stopAt` on CPU 0. Throws InputError for
// a scenario dlsim refuses or one whose flat images hold no SKINIT. With
// `probes`, the recorder (sim/host_probe.h) is installed for Machine::run
// only: that run is slower by the probes' own cost and is never a timed one.
SkinitRun runSkinitLaunch(const Scenario& s, uint64_t stopAt, HostProbeRecorder* probes = nullptr);

// The SLB entry point a scenario's SLB at `slbBase` names (base + its header
// word 0), read from the built machine's RAM. Throws InputError when the SLB
// is not RAM.
uint64_t slbEntryOf(const Scenario& s, uint64_t slbBase);

// Every SKINIT (0F 01 DE) in the scenario's flat images, as linear addresses.
std::vector<uint64_t> skinitCandidates(const Scenario& s);

}  // namespace dlsim::bench
