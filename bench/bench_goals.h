// The project's performance goals, each judged PASS or MISS from one
// benchmark run: speed ratios from thread CPU time as the median of the
// per-round ratios (runs are interleaved, so each round's bare and dlsim runs
// saw the same host), the intercept cost from median CPU times (wall-time
// figures are shown next to both), peak
// RSS from the child-process probe, restore cost against building a machine.
// Goals are read off the report: a MISS never changes the exit status.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_report.h"
#include "bench/rss_probe.h"
#include "bench/snapshot_bench.h"

namespace dlsim {

struct GoalVerdict {
  std::string goal;      // "single CPU loop: >= 0.90 of bare Unicorn"
  std::string measured;  // "0.912 (CPU), 0.88 (wall)"
  bool pass = false;
};

struct GoalInputs {
  const BenchReport* report = nullptr;
  std::optional<SnapshotBenchResult> snapshot;
  // Median wall microseconds of building the same machine afresh (construct,
  // load the image, boot): what a restore saves.
  std::optional<double> freshMachineMicros;
  std::optional<RssProbeResult> rss;
};

// Goals whose figures were measured, in a fixed order; a goal whose figure is
// missing (runner not built, run failed) is left out.
std::vector<GoalVerdict> judgeGoals(const GoalInputs& in);

// Issue 19: Debian's tboot booted end to end (scenarios/txt/tboot-basic.json,
// parse to report) in under a second, judged on thread CPU time as the other
// goals (wall shown too). Defined in tboot_goal.cpp (dlsim-tboot-bench).
inline constexpr double kTbootEndToEndGoalSeconds = 1.0;
GoalVerdict judgeTbootEndToEnd(double cpuSeconds, double wallSeconds, uint64_t instructions);

void printGoals(std::ostream& out, const std::vector<GoalVerdict>& goals);
nlohmann::json goalsJson(const std::vector<GoalVerdict>& goals);

}  // namespace dlsim
