// dlsim-bench: runs the benchmark guests on a bare Unicorn engine, under
// dlsim (when bench/dlsim_runner.cpp is built in) and under QEMU TCG (when
// installed), checks every run's result against the host's reference result,
// and prints a table (and JSON with --json). Exit status: 0 all results
// match, 1 a result differs or a runner failed, 2 bad input (missing guest
// images), 3 internal error.
#include <unicorn/unicorn.h>

#include <CLI/CLI.hpp>
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
#endif

namespace dlsim {
namespace {

struct Options {
  bool quick = false;
  int runs = 3;
  std::string jsonPath;
  std::string guestDir = DLSIM_BENCH_GUEST_DIR;
  bool noQemu = false;
  bool noDlsim = false;
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

// Runs fn `runs` times, collecting seconds; a throw becomes a problem and
// leaves the timing out.
// fn returns the wall seconds and may set *cpu to the CPU seconds of the run.
std::optional<Timing> timeRuns(WorkloadReport& w, const std::string& runner, int runs,
                               const std::function<double(double* cpu)>& fn) {
  Timing t;
  try {
    for (int i = 0; i < runs; ++i) {
      double cpu = -1;
      t.runsSeconds.push_back(fn(&cpu));
      if (cpu >= 0) t.runsCpuSeconds.push_back(cpu);
    }
  } catch (const std::exception& e) {
    w.problems.push_back(runner + " failed: " + e.what());
    return std::nullopt;
  }
  return t;
}

WorkloadReport measureBareAndDlsim(const Options& o, const BenchGuest& g, bool withDlsim) {
  WorkloadReport w;
  w.name = g.name;
  w.expectedResultHex = benchHex(g.expectedResult);
  bool first = true;
  auto bare = timeRuns(w, "bare Unicorn", o.runs, [&](double* cpu) {
    const BareResult r = runBareUnicorn(g.flatImage, g.loadAddr, g.entry, g.ramBytes, first);
    if (first) w.instructions = r.instructions;
    first = false;
    checkResult(w, g, "bare Unicorn", r.result);
    *cpu = r.cpuSeconds;
    return r.seconds;
  });
  if (bare) w.bare = *bare;
#ifdef DLSIM_BENCH_HAVE_DLSIM
  if (withDlsim) {
    w.dlsim1 = timeRuns(w, "dlsim (1 CPU)", o.runs, [&](double* cpu) {
      const DlsimResult r = runUnderDlsim(g, 1, false);
      if (r.cpuSeconds > 0) *cpu = r.cpuSeconds;
      checkResult(w, g, "dlsim (1 CPU)", r.result);
      w.dlsimIntercepted = r.interceptedInstructions;
      return r.seconds;
    });
    w.dlsim4 = timeRuns(w, "dlsim (4 CPUs, 3 in MWAIT)", o.runs, [&](double* cpu) {
      const DlsimResult r = runUnderDlsim(g, 4, true);
      if (r.cpuSeconds > 0) *cpu = r.cpuSeconds;
      checkResult(w, g, "dlsim (4 CPUs, 3 in MWAIT)", r.result);
      w.dlsimPeakRssBytes = std::max(w.dlsimPeakRssBytes, r.peakRssBytes);
      return r.seconds;
    });
  }
#else
  (void)withDlsim;
#endif
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

std::string unicornVersion() {
  unsigned major = 0, minor = 0;
  const unsigned combined = uc_version(&major, &minor);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string((combined >> 8) & 0xFF);
}

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

  report.workloads.push_back(measureBareAndDlsim(o, loop, withDlsim));
  report.workloads.push_back(measureBareAndDlsim(o, sha, withDlsim));
  report.workloads.push_back(measureBareAndDlsim(o, rdtsc, withDlsim));
  report.workloads.back().guestIntercepts = rdtscIterations;

  const std::optional<std::string> qemu = o.noQemu ? std::nullopt : findQemu();
  if (o.noQemu) {
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

  printBenchTable(std::cout, report);
  if (!o.jsonPath.empty()) {
    std::ofstream out(o.jsonPath);
    if (!out) throw InputError(o.jsonPath + ": cannot write the --json file");
    out << benchReportJson(report).dump(2) << "\n";
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
  CLI11_PARSE(app, argc, argv);
  try {
    return dlsim::runBench(o);
  } catch (const dlsim::InputError& e) {
    std::cerr << "dlsim-bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dlsim-bench: internal error: " << e.what() << "\n";
    return 3;
  }
}
