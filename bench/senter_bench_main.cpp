// dlsim-senter-bench: how long an Intel TXT launch takes in dlsim, from the
// moment the ILP reaches GETSEC[SENTER] to the MLE's first instruction (the
// issue's goal: under 20 ms with a 1 MiB MLE and 4 CPUs), and where that
// time goes (bench/README.md, "SENTER to MLE entry").
//
//   dlsim-senter-bench [--scenario FILE] [--runs N] [--reps N] [--quick] [--json FILE]
//
// Exit status: 0 every run reached the MLE the same way, 1 a run did not
// (or two runs differ), 2 bad input, 3 internal error. Timing never fails
// it; the goal line says PASS or MISS.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "bench/senter_phases.h"
#include "bench/senter_run.h"
#include "sim/errors.h"

#ifndef DLSIM_SENTER_BENCH_SCENARIO
#define DLSIM_SENTER_BENCH_SCENARIO ""
#endif

namespace {

using namespace dlsim;
using namespace dlsim::bench;

constexpr double kGoalMs = 20.0;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dlsim-senter-bench: GETSEC[SENTER] to MLE entry, wall time and where it goes"};
  std::string scenario = DLSIM_SENTER_BENCH_SCENARIO;
  int runs = 5, reps = 20;
  bool quick = false;
  std::string jsonOut;
  app.add_option("--scenario", scenario, "a TXT launch scenario that stops at the MLE entry (stop.at)");
  app.add_option("--runs", runs, "launches, each on a fresh machine (median reported)")->check(CLI::Range(1, 1000));
  app.add_option("--reps", reps, "repetitions of each phase (median reported)")->check(CLI::Range(1, 100000));
  app.add_flag("--quick", quick, "1 launch, 3 repetitions per phase (what the smoke test runs)");
  app.add_option("--json", jsonOut, "also write the figures as JSON");
  CLI11_PARSE(app, argc, argv);
  if (quick) {
    runs = 1;
    reps = 3;
  }
  try {
    if (scenario.empty()) throw InputError("no --scenario and no default compiled in");
    std::vector<double> wall, cpu;
    std::vector<PhaseFigure> phases;
    SenterRun first;
    bool haveFirst = false;
    int problems = 0;
    for (int i = 0; i < runs; ++i) {
      SenterRun r = runSenterToMle(scenario);
      if (!r.reachedSenter || !r.reachedMle || r.stopReason != "stop-address") {
        std::cerr << "run " << i + 1 << ": " << (r.reachedSenter ? "" : "no GETSEC[SENTER] reached; ")
                  << "stopped with " << r.stopReason << ": " << r.stopDetail << "\n";
        ++problems;
        continue;
      }
      if (haveFirst && (r.instructionsAtEnd != first.instructionsAtEnd ||
                        r.instructionsBeforeSenter != first.instructionsBeforeSenter)) {
        std::cerr << "run " << i + 1 << ": virtual times differ from run 1 (" << r.instructionsBeforeSenter << "/"
                  << r.instructionsAtEnd << " vs " << first.instructionsBeforeSenter << "/"
                  << first.instructionsAtEnd << ")\n";
        ++problems;
      }
      wall.push_back(r.wallUs);
      cpu.push_back(r.cpuUs);
      if (!haveFirst) {
        first = std::move(r);
        haveFirst = true;
      }
    }
    if (!haveFirst) return 1;
    phases = measureSenterPhases(first, reps);

    const double wallMs = median(wall) / 1000, cpuMs = median(cpu) / 1000;
    double sumUs = 0;
    for (const auto& p : phases) sumUs += p.measured ? p.medianUs : 0;
    std::printf("scenario %s\n", scenario.c_str());
    std::printf("CPUs %d, MLE entry 0x%llx, SINIT %u bytes, heap %llu bytes, SENTER EDX 0x%x\n", first.cpus,
                (unsigned long long)first.mleEntry, first.capture.sinitSize,
                (unsigned long long)first.capture.heapSize, first.capture.edx);
    std::printf("guest instructions before SENTER %llu, at MLE entry %llu\n",
                (unsigned long long)first.instructionsBeforeSenter, (unsigned long long)first.instructionsAtEnd);
    std::printf("\nSENTER -> MLE entry (median of %zu launches): %.3f ms wall, %.3f ms CPU\n", wall.size(), wallMs,
                cpuMs);
    std::printf("\n%-22s %12s  %s\n", "phase", "CPU us", "what (median thread CPU time)");
    for (const auto& p : phases) {
      if (p.measured)
        std::printf("%-22s %12.1f  %s\n", p.name.c_str(), p.medianUs, p.what.c_str());
      else
        std::printf("%-22s %12s  %s (%s)\n", p.name.c_str(), "-", p.what.c_str(), p.detail.c_str());
    }
    std::printf("%-22s %12.1f  %s\n", "rest", std::max(0.0, median(cpu) - sumUs),
                "end to end minus the phases: GETSEC checks, rendezvous, state loads, scheduling");
    std::printf("\ngoal: SENTER -> MLE entry below %.0f ms (1 MiB MLE, 4 CPUs; here %llu KiB, %d CPUs): %s "
                "(CPU time %.3f ms, wall %.3f ms)\n",
                kGoalMs, (unsigned long long)(first.mleSize / 1024), first.cpus, cpuMs < kGoalMs ? "PASS" : "MISS",
                cpuMs, wallMs);

    if (!jsonOut.empty()) {
      nlohmann::json j;
      j["scenario"] = scenario;
      j["cpus"] = first.cpus;
      j["mle_size"] = first.mleSize;
      j["launches"] = wall.size();
      j["senter_to_mle_wall_us"] = median(wall);
      j["senter_to_mle_cpu_us"] = median(cpu);
      j["wall_runs_us"] = wall;
      j["cpu_runs_us"] = cpu;
      j["goal_ms"] = kGoalMs;
      j["goal_met"] = cpuMs < kGoalMs;
      j["instructions_before_senter"] = first.instructionsBeforeSenter;
      j["instructions_at_mle_entry"] = first.instructionsAtEnd;
      for (const auto& p : phases)
        j["phases"].push_back({{"name", p.name}, {"what", p.what}, {"median_us", p.medianUs},
                               {"measured", p.measured}, {"detail", p.detail}});
      std::ofstream(jsonOut) << j.dump(2) << "\n";
    }
    return problems == 0 ? 0 : 1;
  } catch (const InputError& e) {
    std::cerr << "dlsim-senter-bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dlsim-senter-bench: " << e.what() << "\n";
    return 3;
  }
}
