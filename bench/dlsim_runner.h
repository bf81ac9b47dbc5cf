// The seam between the benchmark and the dlsim machine: run one benchmark
// guest under dlsim and say how long the guest took. Implemented in
// bench/dlsim_runner.cpp (owned by the machine's author); the benchmark
// builds and runs without it, and then shows no dlsim column.
#pragma once
#include <cstdint>
#include <vector>

#include "bench/bench_guest.h"

namespace dlsim {

struct DlsimResult {
  // Host wall time of running the guest from its entry to the HLT that ends
  // it, measured the way the bare runner does (machine construction and image
  // loading excluded), so bare_seconds / seconds is the speed ratio.
  double seconds = 0;
  // CPU time of the running thread(s) over the same span
  // (CLOCK_THREAD_CPUTIME_ID for one host thread), or 0 if not measured.
  double cpuSeconds = 0;
  // The result block the guest left at BENCH_RESULT_BLOCK_ADDR, decoded with
  // parseResultBlock(); compared with g.expectedResult by the benchmark.
  std::vector<uint8_t> result;
  // Instructions dlsim counted as retired by the boot CPU (its virtual time),
  // or 0 if not known; shown next to the bare engine's count.
  uint64_t instructions = 0;
  // Instructions dlsim intercepted and emulated itself (RDTSC, MWAIT, ...)
  // during the run, 0 if none; with seconds it gives the cost per intercept.
  uint64_t interceptedInstructions = 0;
  // Peak resident set of the process (or of the dlsim child process) in
  // bytes, 0 if not measured.
  uint64_t peakRssBytes = 0;
};

// Loads g (g.elfPath through dlsim's multiboot loader, or g.flatImage at
// g.loadAddr with entry g.entry in 32-bit flat protected mode) into a machine
// with g.ramBytes of RAM (or more) and `cpus` CPUs. CPU 0 runs the guest. If
// otherCpusInMwait, CPUs 1..cpus-1 sit in MONITOR/MWAIT for the whole run (the
// shape of a dynamic launch with parked APs); otherwise they stay in
// wait-for-SIPI. Throws (InternalError / InputError) if the machine cannot
// run the guest to its HLT.
DlsimResult runUnderDlsim(const BenchGuest& g, int cpus, bool otherCpusInMwait);

}  // namespace dlsim
