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
  std::vector<double> runsCpuSeconds;   // CPU time of the same runs (JSON only; steadier on a busy host)
  double medianSeconds() const;
};

struct WorkloadReport {
  std::string name;
  std::string expectedResultHex;
  uint64_t instructions = 0;       // counted by the bare engine's code hook
  uint64_t guestIntercepts = 0;    // instructions dlsim must intercept (RDTSC guest), by construction
  Timing bare;
  std::optional<Timing> dlsim1;    // 1 CPU
  std::optional<Timing> dlsim4;    // 4 CPUs, 3 in MWAIT
  uint64_t dlsimIntercepted = 0;   // from the 1-CPU run
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
  bool ok() const;
};

void printBenchTable(std::ostream& out, const BenchReport& report);
nlohmann::json benchReportJson(const BenchReport& report);

}  // namespace dlsim
