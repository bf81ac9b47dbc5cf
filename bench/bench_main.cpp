// dlsim-bench: runs the benchmark guests on a bare Unicorn engine, under
// dlsim (when bench/dlsim_runner.cpp is built in) and under QEMU TCG (when
// installed), checks every run's result against the host's reference result,
// and prints a table (and JSON with --json). Exit status: 0 all results
// match, 1 a result differs or a runner failed, 2 bad input (missing guest
// images), 3 internal error.
#include <unicorn/unicorn.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "bench/bare_unicorn.h"
#include "bench/bench_guest.h"
#include "bench/bench_report.h"
#include "bench/qemu_runner.h"
#include "bench/reference_results.h"
#include "sim/errors.h"
#ifdef DLSIM_BENCH_HAVE_DLSIM
#include "bench/dlsim_runner.h"
#include "bench/rss_probe.h"
#include "bench/snapshot_bench.h"
#endif
#include "bench/bench_goals.h"

namespace dlsim {
namespace {

struct Options {
  bool quick = false;
  int runs = 3;
  std::string jsonPath;
  std::string guestDir = DLSIM_BENCH_GUEST_DIR;
  bool noQemu = false;
  bool noDlsim = false;
  bool noSnapshot = false;    // skip the snapshot-restore section
  bool snapshotOnly = false;  // only the snapshot-restore section
  std::string rssChildGuest;  // internal: run as the peak-RSS child (rss_probe.h)
  std::string exePath;        // this program, re-executed for the peak-RSS child
};

BenchGuest loadNamed(const Options& o, const std::string& name, std::vector<uint8_t> expected) {
  return loadBenchGuest(name, o.guestDir + "/" + name + ".elf", o.guestDir + "/" + name + ".bin",
                        kBenchGuestRamBytes, std::move(expected));
}

// Records a problem if a run's result differs from the reference.
void checkResult(WorkloadReport& w, const BenchGuest& g, const std::string& runner,
                 const std::vector<uint8_t>& got) {
  if (got != g.expectedResult)
    w.problems.push_back(runner + " result " + benchHex(got) + " != reference " + benchHex(g.expectedResult));
}

// One runner of a workload: fn returns the wall seconds of one run and may
// set *cpu to its CPU seconds. A throw becomes a problem and drops the
// runner's timing.
struct RunnerSlot {
  RunnerSlot(std::string r, std::function<double(double* cpu)> f) : runner(std::move(r)), fn(std::move(f)) {}
  std::string runner;
  std::function<double(double* cpu)> fn;
  Timing timing;
  bool failed = false;
};

// Runs every slot `runs` times, interleaved (each round runs every slot once,
// odd rounds in reverse order), so a change in host load during the
// measurement hits every runner alike instead of one runner's whole series,
// and no runner always follows the same one.
void runInterleaved(WorkloadReport& w, int runs, std::vector<RunnerSlot>& slots) {
  for (int i = 0; i < runs; ++i) {
    for (size_t k = 0; k < slots.size(); ++k) {
      RunnerSlot& s = slots[i % 2 == 0 ? k : slots.size() - 1 - k];
      if (s.failed) continue;
      try {
        double cpu = -1;
        s.timing.runsSeconds.push_back(s.fn(&cpu));
        if (cpu >= 0) s.timing.runsCpuSeconds.push_back(cpu);
      } catch (const std::exception& e) {
        w.problems.push_back(s.runner + " failed: " + e.what());
        s.failed = true;
      }
    }
  }
}

std::optional<Timing> timeRuns(WorkloadReport& w, const std::string& runner, int runs,
                               const std::function<double(double* cpu)>& fn) {
  std::vector<RunnerSlot> slots{RunnerSlot(runner, fn)};
  runInterleaved(w, runs, slots);
  if (slots[0].failed) return std::nullopt;
  return slots[0].timing;
}

WorkloadReport measureBareAndDlsim(const Options& o, const BenchGuest& g, bool withDlsim) {
  WorkloadReport w;
  w.name = g.name;
  w.expectedResultHex = benchHex(g.expectedResult);
  bool first = true;
  RunnerSlot bare{"bare Unicorn", [&](double* cpu) {
                    const BareResult r = runBareUnicorn(g.flatImage, g.loadAddr, g.entry, g.ramBytes, first);
                    if (first) w.instructions = r.instructions;
                    first = false;
                    checkResult(w, g, "bare Unicorn", r.result);
                    *cpu = r.cpuSeconds;
                    return r.seconds;
                  }};
  RunnerSlot hooked{"bare Unicorn + empty block hook", [&](double* cpu) {
                      const BareResult r =
                          runBareUnicornWithEmptyBlockHook(g.flatImage, g.loadAddr, g.entry, g.ramBytes);
                      checkResult(w, g, "bare Unicorn + empty block hook", r.result);
                      *cpu = r.cpuSeconds;
                      return r.seconds;
                    }};
  RunnerSlot counted{"bare Unicorn + counting block hook", [&](double* cpu) {
                       const BareResult r =
                           runBareUnicornWithCountingBlockHook(g.flatImage, g.loadAddr, g.entry, g.ramBytes);
                       checkResult(w, g, "bare Unicorn + counting block hook", r.result);
                       w.hookCountedInstructions = r.instructions;
                       *cpu = r.cpuSeconds;
                       return r.seconds;
                     }};
  RunnerSlot noChecks{"bare Unicorn, no exit checks", [&](double* cpu) {
                        const BareResult r =
                            runBareUnicornWithoutExitChecks(g.flatImage, g.loadAddr, g.entry, g.ramBytes);
                        checkResult(w, g, "bare Unicorn, no exit checks", r.result);
                        *cpu = r.cpuSeconds;
                        return r.seconds;
                      }};
  // The goals pair each dlsim run with the bare run of its round, so those
  // sit next to each other in both directions: dlsim4, bare, dlsim1, then
  // the reference runners.
  std::vector<RunnerSlot> slots;
  int bareAt = 0, dlsim1At = -1, dlsim4At = -1;
#ifdef DLSIM_BENCH_HAVE_DLSIM
  if (withDlsim) {
    slots.push_back({"dlsim (4 CPUs, 3 in MWAIT)", [&](double* cpu) {
                       const DlsimResult r = runUnderDlsim(g, 4, true);
                       if (r.cpuSeconds > 0) *cpu = r.cpuSeconds;
                       checkResult(w, g, "dlsim (4 CPUs, 3 in MWAIT)", r.result);
                       w.dlsimPeakRssBytes = std::max(w.dlsimPeakRssBytes, r.peakRssBytes);
                       return r.seconds;
                     }});
    dlsim4At = 0;
    bareAt = 1;
    slots.push_back(bare);
    slots.push_back({"dlsim (1 CPU)", [&](double* cpu) {
                       const DlsimResult r = runUnderDlsim(g, 1, false);
                       if (r.cpuSeconds > 0) *cpu = r.cpuSeconds;
                       checkResult(w, g, "dlsim (1 CPU)", r.result);
                       w.dlsimIntercepted = r.interceptedInstructions;
                       w.dlsimInstructions = r.instructions;
                       return r.seconds;
                     }});
    dlsim1At = 2;
  }
#else
  (void)withDlsim;
#endif
  if (slots.empty()) slots.push_back(bare);
  const size_t hookedAt = slots.size();
  slots.push_back(hooked);
  slots.push_back(counted);
  slots.push_back(noChecks);
  runInterleaved(w, o.runs, slots);
  if (!slots[bareAt].failed) w.bare = slots[bareAt].timing;
  if (!slots[hookedAt].failed) w.bareHooked = slots[hookedAt].timing;
  if (!slots[hookedAt + 1].failed) {
    w.bareCounted = slots[hookedAt + 1].timing;
    // The counting hook must count what the bare engine's code hook counted.
    if (w.instructions != 0 && w.hookCountedInstructions != w.instructions)
      w.problems.push_back("the counting block hook counted " + std::to_string(w.hookCountedInstructions) +
                           " instructions, the code hook " + std::to_string(w.instructions));
  }
  if (!slots[hookedAt + 2].failed) w.bareNoChecks = slots[hookedAt + 2].timing;
  if (dlsim1At >= 0 && !slots[dlsim1At].failed) w.dlsim1 = slots[dlsim1At].timing;
  if (dlsim4At >= 0 && !slots[dlsim4At].failed) w.dlsim4 = slots[dlsim4At].timing;
  return w;
}

std::optional<Timing> measureQemu(const Options& o, const std::string& qemu, WorkloadReport& w,
                                  const BenchGuest& g) {
  return timeRuns(w, "QEMU", o.runs, [&](double* cpu) {
    const QemuRun r = runQemuOnce(qemu, g.elfPath, g.ramBytes >> 20);
    checkResult(w, g, "QEMU", r.result);
    *cpu = r.cpuSeconds;
    return r.seconds;
  });
}

// Path to re-execute this program (the peak-RSS child).
std::string selfExecutable(const char* argv0) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : p.string();
}

#ifdef DLSIM_BENCH_HAVE_DLSIM
// The peak-RSS child: the named SHA guest (the only ones the probe uses).
int rssChild(const Options& o) {
  // No reference result here: computing it would add its buffers to the
  // peak being measured; the parent compares the printed result.
  const std::string& n = o.rssChildGuest;
  if (n != "sha256-1MiB" && n != "sha256-16MiB")
    throw InputError("--rss-child: unknown guest '" + n + "' (sha256-1MiB or sha256-16MiB)");
  return rssChildMain(loadNamed(o, n, {}));
}
#endif

std::string unicornVersion() {
  unsigned major = 0, minor = 0;
  const unsigned combined = uc_version(&major, &minor);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string((combined >> 8) & 0xFF);
}

#ifdef DLSIM_BENCH_HAVE_DLSIM
void printSnapshotSection(std::ostream& out, const SnapshotBenchResult& s, std::optional<double> freshMicros,
                          nlohmann::json& j) {
  char line[256];
  std::snprintf(line, sizeof line,
                "\nSnapshot restore (%s, 1 CPU, %llu MiB RAM, %d run+restore cycles): median %.1f us wall, "
                "%.1f us CPU per restore;\n  %llu pages changed by a run; snapshot() took %.1f us; "
                "run CPU time: first %.4f s, last %.4f s",
                s.guest.c_str(), static_cast<unsigned long long>(s.ramBytes >> 20), s.cycles, s.medianRestoreMicros(),
                s.medianRestoreCpuMicros(), static_cast<unsigned long long>(s.changedPages), s.snapshotMicros,
                s.runCpuSeconds.empty() ? 0.0 : s.runCpuSeconds.front(),
                s.runCpuSeconds.empty() ? 0.0 : s.runCpuSeconds.back());
  out << line;
  if (freshMicros) out << "; a fresh machine takes " << static_cast<long long>(*freshMicros) << " us";
  out << (s.problems.empty() ? "\n  every re-run matched the first run and every restore brought all RAM back\n"
                             : "\n  PROBLEMS (listed below)\n");
  nlohmann::json& sj = j["snapshot_restore"];
  sj["guest"] = s.guest;
  sj["ram_bytes"] = s.ramBytes;
  sj["cycles"] = s.cycles;
  sj["changed_pages"] = s.changedPages;
  sj["snapshot_us"] = s.snapshotMicros;
  sj["restore_us"] = s.restoreMicros;
  sj["restore_cpu_us"] = s.restoreCpuMicros;
  sj["median_restore_us"] = s.medianRestoreMicros();
  sj["median_restore_cpu_us"] = s.medianRestoreCpuMicros();
  sj["run_s"] = s.runSeconds;
  sj["run_cpu_s"] = s.runCpuSeconds;
  if (freshMicros) sj["fresh_machine_us"] = *freshMicros;
  sj["problems"] = s.problems;
}

void printRssSection(std::ostream& out, const RssProbeResult& r, nlohmann::json& j) {
  char line[256];
  std::snprintf(line, sizeof line,
                "\nPeak RSS (child process; %s, %d CPUs of which %d in MWAIT, %llu MiB RAM): %.1f MiB "
                "(%.1f MiB before the machine existed; guest RAM resident %.1f MiB)\n",
                r.guest.c_str(), r.cpus, r.cpus - 1, static_cast<unsigned long long>(r.ramBytes >> 20),
                static_cast<double>(r.peakRssBytes) / (1 << 20), static_cast<double>(r.baselineRssBytes) / (1 << 20),
                static_cast<double>(r.guestResidentBytes) / (1 << 20));
  out << line;
  nlohmann::json& rj = j["peak_rss"];
  rj["guest"] = r.guest;
  rj["cpus"] = r.cpus;
  rj["ram_bytes"] = r.ramBytes;
  rj["peak_rss_bytes"] = r.peakRssBytes;
  rj["baseline_rss_bytes"] = r.baselineRssBytes;
  rj["guest_resident_bytes"] = r.guestResidentBytes;
  rj["problems"] = r.problems;
}
#endif

int runBench(const Options& o) {
  BenchReport report;
  report.mode = o.quick ? "quick" : "full";
  report.runs = o.runs;
  report.unicornVersion = unicornVersion();

  const uint32_t loopIterations = o.quick ? DLSIM_BENCH_LOOP_ITERATIONS_QUICK : DLSIM_BENCH_LOOP_ITERATIONS;
  const BenchGuest loop = loadNamed(o, o.quick ? "loop-quick" : "loop", loopGuestExpectedResult(loopIterations));
  const BenchGuest sha1 = loadNamed(o, "sha256-1MiB", shaGuestExpectedDigest(1));
  const BenchGuest sha16 = loadNamed(o, "sha256-16MiB", shaGuestExpectedDigest(16));
  const BenchGuest& sha = o.quick ? sha1 : sha16;
  const uint32_t rdtscIterations = o.quick ? DLSIM_BENCH_RDTSC_ITERATIONS_QUICK : DLSIM_BENCH_RDTSC_ITERATIONS;
  const BenchGuest rdtsc =
      loadNamed(o, o.quick ? "rdtsc-quick" : "rdtsc", rdtscGuestExpectedResult(rdtscIterations));

#ifdef DLSIM_BENCH_HAVE_DLSIM
  const bool withDlsim = !o.noDlsim;
  report.dlsimStatus = withDlsim ? "measured (bench/dlsim_runner.cpp)" : "skipped (--no-dlsim)";
#else
  const bool withDlsim = false;
  report.dlsimStatus = "not built (bench/dlsim_runner.cpp absent)";
#endif

  if (!o.snapshotOnly) {
    report.workloads.push_back(measureBareAndDlsim(o, loop, withDlsim));
    report.workloads.push_back(measureBareAndDlsim(o, sha, withDlsim));
    report.workloads.push_back(measureBareAndDlsim(o, rdtsc, withDlsim));
    report.workloads.back().guestIntercepts = rdtscIterations;
  }

  const std::optional<std::string> qemu = o.noQemu || o.snapshotOnly ? std::nullopt : findQemu();
  if (o.snapshotOnly) {
    report.qemuStatus = "skipped (--snapshot-only)";
  } else if (o.noQemu) {
    report.qemuStatus = "skipped (--no-qemu)";
  } else if (!qemu) {
    report.qemuStatus = kQemuMissing;
  } else {
    report.qemuStatus = *qemu;
    WorkloadReport& loopRow = report.workloads[0];
    WorkloadReport& shaRow = report.workloads[1];
    loopRow.qemuRaw = measureQemu(o, *qemu, loopRow, loop);
    shaRow.qemuRaw = measureQemu(o, *qemu, shaRow, sha);
    report.workloads[2].qemuRaw = measureQemu(o, *qemu, report.workloads[2], rdtsc);
    // The other SHA size, only to estimate QEMU's boot overhead.
    const BenchGuest& other = o.quick ? sha16 : sha1;
    WorkloadReport scratch;
    const auto otherTiming = measureQemu(o, *qemu, scratch, other);
    for (const auto& p : scratch.problems) shaRow.problems.push_back("(" + other.name + ") " + p);
    if (shaRow.qemuRaw && otherTiming) {
      const double t1 = (o.quick ? *shaRow.qemuRaw : *otherTiming).medianSeconds();
      const double t16 = (o.quick ? *otherTiming : *shaRow.qemuRaw).medianSeconds();
      report.qemuBootSeconds = qemuBootOverhead(t1, 1, t16, 16);
    }
  }

  GoalInputs goals;
  goals.report = &report;
  nlohmann::json extraJson;
#ifdef DLSIM_BENCH_HAVE_DLSIM
  if (withDlsim && !o.noSnapshot) {
    // Restore after a stub-sized run: the SHA guest over 1 MiB writes ~260 pages.
    const uint64_t snapRam = 256ull << 20;
    const int cycles = o.quick ? 3 : 20;
    try {
      goals.snapshot = measureSnapshotRestore(sha1, snapRam, cycles);
      goals.freshMachineMicros = measureFreshMachineMicros(sha1, snapRam, o.quick ? 3 : 11);
      for (const auto& p : goals.snapshot->problems) report.problems.push_back("snapshot restore: " + p);
    } catch (const std::exception& e) {
      report.problems.push_back(std::string("snapshot restore failed: ") + e.what());
    }
  }
  if (withDlsim && !o.snapshotOnly) {
    // Peak RSS in a fresh child process: 4 CPUs, 4 GiB, the SHA guest.
    try {
      goals.rss = probePeakRss(o.exePath, o.guestDir, sha);
      for (const auto& p : goals.rss->problems) report.problems.push_back("peak RSS: " + p);
    } catch (const std::exception& e) {
      report.problems.push_back(std::string("peak-RSS probe failed: ") + e.what());
    }
  }
#endif

  if (!report.workloads.empty()) printBenchTable(std::cout, report);
  if (goals.snapshot) printSnapshotSection(std::cout, *goals.snapshot, goals.freshMachineMicros, extraJson);
  if (goals.rss) printRssSection(std::cout, *goals.rss, extraJson);
  const std::vector<GoalVerdict> verdicts = judgeGoals(goals);
  printGoals(std::cout, verdicts);
  std::cout << "\n";
  printBenchVerdict(std::cout, report);
  if (!o.jsonPath.empty()) {
    std::ofstream out(o.jsonPath);
    if (!out) throw InputError(o.jsonPath + ": cannot write the --json file");
    nlohmann::json j = benchReportJson(report);
    for (auto& [k, v] : extraJson.items()) j[k] = v;
    j["goals"] = goalsJson(verdicts);
    out << j.dump(2) << "\n";
  }
  std::cout.flush();
  return report.ok() ? 0 : 1;
}

}  // namespace
}  // namespace dlsim

int main(int argc, char** argv) {
  dlsim::Options o;
  CLI::App app{"dlsim-bench: dlsim against a bare Unicorn engine (and QEMU TCG) on the same guest code"};
  app.add_flag("--quick", o.quick, "1 MiB SHA-256 guest and a 10x shorter loop");
  app.add_option("--runs", o.runs, "timed runs per runner and workload (median is reported)")
      ->check(CLI::Range(1, 99));
  app.add_option("--json", o.jsonPath, "also write the results as JSON to this file");
  app.add_option("--guest-dir", o.guestDir, "directory holding the built benchmark guests");
  app.add_flag("--no-qemu", o.noQemu, "skip the QEMU column even if QEMU is installed");
  app.add_flag("--no-dlsim", o.noDlsim, "skip the dlsim columns");
  app.add_flag("--no-snapshot", o.noSnapshot, "skip the snapshot-restore measurement");
  app.add_flag("--snapshot-only", o.snapshotOnly, "only the snapshot-restore measurement (and its checks)")
      ->excludes("--no-snapshot");
  app.add_option("--rss-child", o.rssChildGuest, "internal: run GUEST as the peak-RSS child process")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  try {
#ifdef DLSIM_BENCH_HAVE_DLSIM
    if (!o.rssChildGuest.empty()) return dlsim::rssChild(o);
#endif
    o.exePath = dlsim::selfExecutable(argv[0]);
    return dlsim::runBench(o);
  } catch (const dlsim::InputError& e) {
    std::cerr << "dlsim-bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dlsim-bench: internal error: " << e.what() << "\n";
    return 3;
  }
}
