// Cost of Machine::restore() after a typical stub-sized run, and a check that
// run -> restore -> run repeats exactly: the figure a test harness pays per
// scenario when it restores one booted machine instead of building a new one.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_guest.h"

namespace dlsim {

struct SnapshotBenchResult {
  std::string guest;
  uint64_t ramBytes = 0;
  int cycles = 0;                    // run + restore pairs
  double snapshotMicros = 0;         // Machine::snapshot() before the first run (wall)
  std::vector<double> restoreMicros;     // wall time of each restore
  std::vector<double> restoreCpuMicros;  // thread CPU time of each restore
  std::vector<double> runSeconds;        // wall time of each run (the first translates cold)
  std::vector<double> runCpuSeconds;     // thread CPU time of each run
  // Pages whose content after a run differs from before it: a lower bound of
  // the pages the restore has to copy back (a store of an unchanged value
  // also dirties a page). Counted by the host, by comparing RAM page by page.
  uint64_t changedPages = 0;
  std::vector<std::string> problems;  // wrong result, non-determinism, RAM not restored
  double medianRestoreMicros() const;
  double medianRestoreCpuMicros() const;
};

// Machine with 1 CPU and `ramBytes` of RAM at 0 holding g; snapshot; then
// `cycles` times: run to HLT, check the result against g.expectedResult and
// the end state (registers, retired instructions, virtual time, trace hash)
// against the first run, time Machine::restore(), and check that every RAM
// page is back to its pre-run content and the result block is gone.
SnapshotBenchResult measureSnapshotRestore(const BenchGuest& g, uint64_t ramBytes, int cycles);

// Median wall microseconds of the alternative to a restore: destroying the
// machine and building the same one again (construct, load g, boot CPU 0).
double measureFreshMachineMicros(const BenchGuest& g, uint64_t ramBytes, int repeats);

}  // namespace dlsim
