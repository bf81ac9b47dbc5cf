// What one benchmark run measured, and its two renderings: the text table
// printed to stdout and the JSON written with --json.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlsim {

// Repeated timings of one runner on one workload.
struct Timing {
  std::vector<double> runsSeconds;      // wall time: what the table shows
  std::vector<double> runsCpuSeconds;   // CPU time of the same runs (steadier on a busy host)
  double medianSeconds() const;
  double medianCpuSeconds() const;  // 0 when no CPU times were recorded
};

struct WorkloadReport {
  std::string name;
  std::string expectedResultHex;
  uint64_t instructions = 0;       // counted by the bare engine's code hook
  uint64_t guestIntercepts = 0;    // instructions dlsim must intercept (RDTSC guest), by construction
  Timing bare;
  std::optional<Timing> bareHooked;  // bare engine plus one empty block hook (the floor of per-block work)
  std::optional<Timing> bareCounted;  // bare engine plus a block hook counting instructions exactly
  uint64_t hookCountedInstructions = 0;  // what that hook counted (must equal instructions)
  std::optional<Timing> bareNoChecks;  // bare engine without exit checks after loads and stores (as dlsim runs)
  std::optional<Timing> dlsim1;    // 1 CPU
  std::optional<Timing> dlsim4;    // 4 CPUs, 3 in MWAIT
  uint64_t dlsimIntercepted = 0;   // from the 1-CPU run
  uint64_t dlsimInstructions = 0;  // retired by CPU 0 in the 1-CPU run (dlsim's virtual time)
  uint64_t dlsimPeakRssBytes = 0;  // from the 4-CPU run
  std::optional<Timing> qemuRaw;   // QEMU wall time, boot included
  std::vector<std::string> problems;  // result mismatches and runner failures
};

struct BenchReport {
  std::string mode;                // "quick" or "full"
  int runs = 0;
  std::string unicornVersion;
  std::string dlsimStatus;         // "measured" or why not
  std::string qemuStatus;          // path, or why not
  std::optional<double> qemuBootSeconds;
  std::vector<WorkloadReport> workloads;
  std::vector<std::string> problems;  // outside the workloads (snapshot restore, peak-RSS probe)
  bool ok() const;
};

// Host microseconds dlsim (1 CPU) spends per intercepted instruction beyond
// the bare engine's time on the same guest: from median wall / CPU times.
std::optional<double> interceptMicrosWall(const WorkloadReport& w);
std::optional<double> interceptMicrosCpu(const WorkloadReport& w);

void printBenchTable(std::ostream& out, const BenchReport& report);
// Every problem found and the one-line verdict (printed last).
void printBenchVerdict(std::ostream& out, const BenchReport& report);
nlohmann::json benchReportJson(const BenchReport& report);

}  // namespace dlsim
