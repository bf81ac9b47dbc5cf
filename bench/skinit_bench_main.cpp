// dlsim-skinit-bench: how long an AMD SKINIT launch takes in dlsim, from the
// pre-launch driver's first instruction to the secure loader's first
// instruction (SLB entry), 4 CPUs (the goal: under 5 ms wall), split
// at SKINIT, against a bare Unicorn engine running the same driver bytes in
// this process up to SKINIT (bench/README.md, "SKINIT to SLB entry").
//
//   dlsim-skinit-bench [--scenario FILE] [--slb-base ADDR] [--runs N] [--quick] [--json FILE]
//
// Exit status: 0 every run reached the SLB entry the same way (and the bare
// engine ran the driver to SKINIT in as many instructions), 1 a run did not,
// 2 bad input, 3 internal error. Timing never fails it; the goal line says
// PASS or MISS.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "bench/launch_probes.h"
#include "bench/skinit_bare.h"
#include "bench/skinit_run.h"
#include "models/model_list.h"
#include "sim/errors.h"
#include "sim/scenario/scenario_parser.h"

#ifndef DLSIM_SKINIT_BENCH_SCENARIO
#define DLSIM_SKINIT_BENCH_SCENARIO ""
#endif

namespace {

using namespace dlsim;
using namespace dlsim::bench;

constexpr double kGoalMs = 5.0;
constexpr uint64_t kDriverSlbBase = 0x200000;  // stub/amd/skinit_driver.asm SLB_BASE

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The scenario's flat images and the RAM the bare engine needs for them.
std::vector<FlatImage> flatImages(const Scenario& s, uint64_t& ramBytes) {
  std::vector<FlatImage> out;
  ramBytes = 1 << 20;
  for (const LoadSpec& l : s.load) {
    if (l.type != LoadType::Flat || !l.address)
      throw InputError(s.file + ": /load: the bare reference runs flat images only");
    std::ifstream in(l.file, std::ios::binary);
    FlatImage im{*l.address, {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}};
    ramBytes = std::max<uint64_t>(ramBytes, (im.address + im.bytes.size() + 0xFFF) & ~0xFFFull);
    out.push_back(std::move(im));
  }
  return out;
}

struct Series {
  std::vector<double> wall, cpu;
  void add(const Span& s) {
    wall.push_back(s.wallUs);
    cpu.push_back(s.cpuUs);
  }
  void add(double w, double c) {
    wall.push_back(w);
    cpu.push_back(c);
  }
  double mw() const { return median(wall); }
  double mc() const { return median(cpu); }
  double minw() const { return wall.empty() ? 0 : *std::min_element(wall.begin(), wall.end()); }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dlsim-skinit-bench: pre-launch driver -> SKINIT -> SLB entry, against bare Unicorn"};
  std::string scenarioPath = DLSIM_SKINIT_BENCH_SCENARIO;
  uint64_t slbBase = kDriverSlbBase;
  int runs = 21;
  bool quick = false, noProbes = false;
  std::string jsonOut;
  app.add_option("--scenario", scenarioPath, "an SKINIT launch scenario (driver in real mode, flat images)");
  app.add_option("--slb-base", slbBase, "the SLB base the driver passes in EAX (checked at SKINIT)");
  app.add_option("--runs", runs, "launches, each on a fresh machine, interleaved with bare runs (median)")
      ->check(CLI::Range(1, 10000));
  app.add_flag("--quick", quick, "3 launches (what the smoke test runs)");
  app.add_flag("--no-probes", noProbes, "no probed launch (no breakdown of dlsim's span)");
  app.add_option("--json", jsonOut, "also write the figures as JSON");
  CLI11_PARSE(app, argc, argv);
  if (quick) runs = 3;
  try {
    if (scenarioPath.empty()) throw InputError("no --scenario and no default compiled in");
    const Scenario s = loadScenario(scenarioPath, platformModels());
    if (!s.entry || s.entry->mode != EntryMode::Real || s.entry->cs || !s.entry->registers.empty())
      throw InputError(s.file + ": /entry: the bench needs a real-mode entry by linear address without registers");
    const uint64_t slbEntry = slbEntryOf(s, slbBase);
    uint64_t ramBytes = 0;
    const std::vector<FlatImage> images = flatImages(s, ramBytes);

    Series total, toSkinit, skinitToEntry, bare;
    SkinitRun first;
    int problems = 0;
    uint64_t skinitAt = 0;  // where run 1 executed SKINIT: the bare engine's end
    auto bareRun = [&] {
      const BareDriverRun b = runBareDriverToSkinit(images, ramBytes, s.entry->address, skinitAt, false);
      bare.add(b.wallUs, b.cpuUs);
    };
    for (int i = 0; i < runs; ++i) {
      // Interleaved, alternating the order so neither runner always follows
      // the other (round 1 runs dlsim first: it finds the SKINIT address).
      if (i % 2 && skinitAt) bareRun();
      SkinitRun r = runSkinitLaunch(s, slbEntry);
      const bool ok = r.reachedSkinit && r.reachedStop;
      if (!ok) {
        std::cerr << "run " << i + 1 << ": " << (r.reachedSkinit ? "" : "no SKINIT reached; ") << "stopped with "
                  << r.stopReason << " on CPU " << r.stopCpu << " at 0x" << std::hex << r.stopAddress << std::dec
                  << ": " << r.stopDetail << "\n";
        ++problems;
      } else {
        if ((r.skinitEax & ~0xFFFFu) != slbBase) {
          std::cerr << "run " << i + 1 << ": SKINIT with EAX 0x" << std::hex << r.skinitEax << ", not the SLB at 0x"
                    << slbBase << std::dec << "\n";
          ++problems;
        }
        if (!total.wall.empty() && (r.instructionsAtSkinit != first.instructionsAtSkinit ||
                                    r.instructionsAtEnd != first.instructionsAtEnd || r.traceHash != first.traceHash)) {
          std::cerr << "run " << i + 1 << ": virtual times or trace hash differ from the first good run\n";
          ++problems;
        }
        for (const std::string& f : r.pcrFailures) {
          std::cerr << "run " << i + 1 << ": at SLB entry " << f << "\n";
          ++problems;
        }
        total.add(r.total);
        toSkinit.add(r.toSkinit);
        skinitToEntry.add(r.skinitToStop);
        if (!skinitAt) {
          skinitAt = r.skinitAddress;
          first = std::move(r);
        }
      }
      if (!(i % 2) && skinitAt) bareRun();
    }
    if (total.wall.empty()) return 1;
    const BareDriverRun counted = runBareDriverToSkinit(images, ramBytes, s.entry->address, first.skinitAddress, true);
    if (counted.instructions != first.instructionsAtSkinit || counted.eax != first.skinitEax) {
      std::cerr << "PROBLEM: bare Unicorn reached SKINIT after " << counted.instructions << " instructions with EAX 0x"
                << std::hex << counted.eax << std::dec << ", dlsim after " << first.instructionsAtSkinit
                << " with EAX 0x" << std::hex << first.skinitEax << std::dec << "\n";
      ++problems;
    }

    const double goalWallMs = total.mw() / 1000;
    std::printf("scenario %s\n", s.file.c_str());
    std::printf("CPUs %d, SKINIT at 0x%llx (EAX 0x%x) by CPU %d, SLB entry 0x%llx\n", first.cpus,
                (unsigned long long)first.skinitAddress, first.skinitEax, first.skinitCpu,
                (unsigned long long)slbEntry);
    std::printf("PCR checks of the scenario at SLB entry: %d (%s)\n", first.pcrChecks,
                first.pcrChecks == 0 ? "none: the result is not checked beyond the instruction counts"
                                     : first.pcrFailures.empty() ? "all hold" : "FAILED");
    std::printf("guest instructions: driver %llu (bare Unicorn: %llu), at SLB entry %llu\n",
                (unsigned long long)first.instructionsAtSkinit, (unsigned long long)counted.instructions,
                (unsigned long long)first.instructionsAtEnd);
    const std::string head = "span (median of " + std::to_string(total.wall.size()) + " launches)";
    std::printf("\n%-34s %10s %10s %10s\n", head.c_str(), "wall us", "CPU us", "min wall");
    auto line = [](const char* name, const Series& x) {
      std::printf("%-34s %10.1f %10.1f %10.1f\n", name, x.mw(), x.mc(), x.minw());
    };
    line("driver start -> SKINIT (dlsim)", toSkinit);
    line("SKINIT -> SLB entry (dlsim)", skinitToEntry);
    line("driver start -> SLB entry (dlsim)", total);
    line("driver start -> SKINIT (bare)", bare);
    std::printf("\nratio bare / dlsim (1.0 = as fast as the bare engine), driver only: %.3f wall, %.3f CPU\n",
                bare.mw() / toSkinit.mw(), bare.mc() / toSkinit.mc());
    std::printf("ratio bare driver / dlsim driver start -> SLB entry (SKINIT has no bare counterpart): %.3f wall, "
                "%.3f CPU\n",
                bare.mw() / total.mw(), bare.mc() / total.mc());
    // The issue states this goal in wall time; on a shared host the CPU-time
    // figure (the other goals' measure) is the steadier one, so both are given.
    std::printf("\ngoal: SKINIT launch, driver start to SLB entry, below %.0f ms wall (4 CPUs; here %d): %s (wall "
                "%.3f ms; CPU %.3f ms: %s)\n",
                kGoalMs, first.cpus, goalWallMs < kGoalMs ? "PASS" : "MISS", goalWallMs, total.mc() / 1000,
                total.mc() / 1000 < kGoalMs ? "PASS" : "MISS");

    // Where dlsim's time goes: one more launch with the host probes recording
    // (never one of the timed launches; slower by the probes' own cost).
    nlohmann::json breakdown = nlohmann::json::array();
    if (!noProbes) {
      HostProbeRecorder probes;
      const SkinitRun p = runSkinitLaunch(s, slbEntry, &probes);
      if (p.instructionsAtEnd != first.instructionsAtEnd || p.traceHash != first.traceHash) {
        std::cerr << "the probed launch differs from the timed ones\n";
        ++problems;
      }
      breakdown = printProbeBreakdown(probes, "where dlsim's span goes (one probed launch, driver start -> SLB entry)",
                                      p.total.wallUs);
    }

    if (!jsonOut.empty()) {
      nlohmann::json j;
      j["scenario"] = s.file;
      j["cpus"] = first.cpus;
      j["launches"] = total.wall.size();
      j["slb_entry"] = slbEntry;
      j["instructions_driver"] = first.instructionsAtSkinit;
      j["instructions_driver_bare"] = counted.instructions;
      j["instructions_at_slb_entry"] = first.instructionsAtEnd;
      auto put = [&](const char* k, const Series& x) {
        j[k] = {{"median_wall_us", x.mw()}, {"median_cpu_us", x.mc()}, {"wall_runs_us", x.wall}, {"cpu_runs_us", x.cpu}};
      };
      put("driver_to_skinit", toSkinit);
      put("skinit_to_slb_entry", skinitToEntry);
      put("driver_to_slb_entry", total);
      put("bare_driver_to_skinit", bare);
      j["ratio_bare_driver_wall"] = bare.mw() / toSkinit.mw();
      j["ratio_bare_driver_cpu"] = bare.mc() / toSkinit.mc();
      j["probes"] = breakdown;
      j["goal_ms"] = kGoalMs;
      j["goal_met"] = goalWallMs < kGoalMs;
      j["goal_met_cpu"] = total.mc() / 1000 < kGoalMs;
      std::ofstream(jsonOut) << j.dump(2) << "\n";
    }
    return problems == 0 ? 0 : 1;
  } catch (const InputError& e) {
    std::cerr << "dlsim-skinit-bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dlsim-skinit-bench: " << e.what() << "\n";
    return 3;
  }
}
