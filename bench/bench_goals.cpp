// PASS/MISS verdicts for the performance goals (see bench_goals.h).
#include "bench/bench_goals.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace dlsim {

namespace {

constexpr double kSingleCpuRatio = 0.90;
constexpr double kFourCpuRatio = 0.80;
constexpr double kMaxMicrosPerIntercept = 1.0;
constexpr double kMaxPeakRssMiB = 256.0;

std::string fmt(const char* f, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

const WorkloadReport* findRow(const BenchReport& r, const std::string& prefix) {
  for (const auto& w : r.workloads)
    if (w.name.rfind(prefix, 0) == 0) return &w;
  return nullptr;
}

// Median over the interleaved rounds of bare CPU / other CPU: each round's
// two runs ran back to back, so a drift of the host's speed between rounds
// (other load, SMT sibling, clock) cancels out.
double pairedCpuRatio(const Timing& bare, const Timing& other) {
  std::vector<double> r;
  for (size_t i = 0; i < bare.runsCpuSeconds.size() && i < other.runsCpuSeconds.size(); ++i)
    if (other.runsCpuSeconds[i] > 0) r.push_back(bare.runsCpuSeconds[i] / other.runsCpuSeconds[i]);
  if (r.empty()) return 0;
  std::sort(r.begin(), r.end());
  const size_t n = r.size();
  return n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
}

void ratioGoal(std::vector<GoalVerdict>& out, const WorkloadReport* w, bool fourCpus) {
  if (!w) return;
  const std::optional<Timing>& t = fourCpus ? w->dlsim4 : w->dlsim1;
  if (!t || t->runsCpuSeconds.empty() || w->bare.runsCpuSeconds.empty() || t->medianCpuSeconds() <= 0 ||
      t->medianSeconds() <= 0)
    return;
  const double target = fourCpus ? kFourCpuRatio : kSingleCpuRatio;
  const double cpu = pairedCpuRatio(w->bare, *t);
  const double wall = w->bare.medianSeconds() / t->medianSeconds();
  std::string measured = fmt("%.3f (CPU time, median of per-round ratios), %.3f (wall, ratio of medians)", cpu, wall);
  // What exact instruction counting alone costs in the same rounds: the
  // ceiling for any design on Unicorn's hooks that keeps its exit checks.
  if (!fourCpus && w->bareCounted && !w->bareCounted->runsCpuSeconds.empty())
    measured += fmt("; bare + counting block hook: %.3f", pairedCpuRatio(w->bare, *w->bareCounted));
  // What dropping Unicorn's exit checks gives the engine alone (dlsim drops
  // them too, and pays for its hooks out of that).
  if (!fourCpus && w->bareNoChecks && !w->bareNoChecks->runsCpuSeconds.empty())
    measured += fmt("; bare without exit checks: %.3f", pairedCpuRatio(w->bare, *w->bareNoChecks));
  out.push_back({w->name + (fourCpus ? ", 4 CPUs (3 in MWAIT)" : ", 1 CPU") + fmt(": >= %.2f of bare Unicorn", target),
                 measured, cpu >= target});
}

}  // namespace

std::vector<GoalVerdict> judgeGoals(const GoalInputs& in) {
  std::vector<GoalVerdict> out;
  if (in.report) {
    const WorkloadReport* loop = findRow(*in.report, "loop");
    const WorkloadReport* sha = findRow(*in.report, "sha256");
    for (bool four : {false, true}) {
      ratioGoal(out, loop, four);
      ratioGoal(out, sha, four);
    }
    if (const WorkloadReport* rdtsc = findRow(*in.report, "rdtsc")) {
      const auto cpu = interceptMicrosCpu(*rdtsc);
      const auto wall = interceptMicrosWall(*rdtsc);
      if (cpu && wall)
        out.push_back({fmt("RDTSC intercept: <= %.1f us per intercepted instruction", kMaxMicrosPerIntercept),
                       fmt("%.3f us (CPU time), %.3f us (wall)", *cpu, *wall), *cpu <= kMaxMicrosPerIntercept});
    }
  }
  if (in.rss && in.rss->problems.empty() && in.rss->peakRssBytes > 0) {
    const double mib = static_cast<double>(in.rss->peakRssBytes) / (1 << 20);
    out.push_back({"peak RSS, " + std::to_string(in.rss->cpus) + " CPUs (3 in MWAIT), " +
                       std::to_string(in.rss->ramBytes >> 30) + " GiB RAM, " + in.rss->guest +
                       fmt(": < %.0f MiB", kMaxPeakRssMiB),
                   fmt("%.1f MiB (process before the machine: %.1f MiB)", mib,
                       static_cast<double>(in.rss->baselineRssBytes) / (1 << 20)),
                   mib < kMaxPeakRssMiB});
  }
  if (in.snapshot && !in.snapshot->restoreMicros.empty() && in.freshMachineMicros) {
    const double us = in.snapshot->medianRestoreMicros();
    out.push_back({"restore after a " + in.snapshot->guest + " run (" +
                       std::to_string(in.snapshot->changedPages) + " pages changed): cheaper than building a fresh machine (construct, load, boot; no translation)",
                   fmt("%.0f us (wall; %.0f us CPU)", us, in.snapshot->medianRestoreCpuMicros()) +
                       (in.snapshot->changedPages
                            ? fmt(", %.2f us per changed page", us / static_cast<double>(in.snapshot->changedPages))
                            : std::string()) +
                       fmt(" vs %.0f us to build one", *in.freshMachineMicros) +
                       (in.snapshot->problems.empty() ? "" : "; BUT runs after a restore went wrong (see PROBLEM)"),
                   us < *in.freshMachineMicros && in.snapshot->problems.empty()});
  }
  return out;
}

void printGoals(std::ostream& out, const std::vector<GoalVerdict>& goals) {
  out << "\nGoals (ratios and intercept cost judged on CPU time; a MISS does not change the exit status):\n";
  for (const auto& g : goals) out << (g.pass ? "  PASS  " : "  MISS  ") << g.goal << ": " << g.measured << "\n";
}

nlohmann::json goalsJson(const std::vector<GoalVerdict>& goals) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& g : goals) a.push_back({{"goal", g.goal}, {"measured", g.measured}, {"pass", g.pass}});
  return a;
}

}  // namespace dlsim
