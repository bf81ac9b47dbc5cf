// Rendering of the benchmark results (see the header). Speed ratios are
// bare_seconds / other_seconds: 1.0 = as fast as the bare engine, 0.9 = takes
// 11% longer; QEMU's ratio uses its time net of boot overhead.
#include "bench/bench_report.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace dlsim {

namespace {
double medianOf(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
}  // namespace

double Timing::medianSeconds() const { return medianOf(runsSeconds); }
double Timing::medianCpuSeconds() const { return medianOf(runsCpuSeconds); }

bool BenchReport::ok() const {
  return problems.empty() &&
         std::all_of(workloads.begin(), workloads.end(), [](const WorkloadReport& w) { return w.problems.empty(); });
}

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::optional<double> qemuNet(const BenchReport& r, const WorkloadReport& w) {
  if (!w.qemuRaw || !r.qemuBootSeconds) return std::nullopt;
  return std::max(0.0, w.qemuRaw->medianSeconds() - *r.qemuBootSeconds);
}

std::string ratioCell(double bareSeconds, const std::optional<double>& other) {
  if (!other || *other <= 0) return "-";
  return fmt("%.3f", bareSeconds / *other);
}

// Host microseconds dlsim spends per intercepted instruction beyond what the
// bare engine spends on the same guest.
std::optional<double> interceptMicros(const WorkloadReport& w) {
  if (!w.dlsim1 || w.guestIntercepts == 0) return std::nullopt;
  return (w.dlsim1->medianSeconds() - w.bare.medianSeconds()) / static_cast<double>(w.guestIntercepts) * 1e6;
}

}  // namespace

std::optional<double> interceptMicrosCpu(const WorkloadReport& w) {
  if (!w.dlsim1 || w.guestIntercepts == 0 || w.dlsim1->runsCpuSeconds.empty() || w.bare.runsCpuSeconds.empty())
    return std::nullopt;
  return (w.dlsim1->medianCpuSeconds() - w.bare.medianCpuSeconds()) / static_cast<double>(w.guestIntercepts) * 1e6;
}

std::optional<double> interceptMicrosWall(const WorkloadReport& w) { return interceptMicros(w); }

namespace {

std::string secondsCell(const std::optional<double>& s) { return s ? fmt("%.4f", *s) : "-"; }

std::optional<double> median(const std::optional<Timing>& t) {
  return t ? std::optional<double>(t->medianSeconds()) : std::nullopt;
}

nlohmann::json timingJson(const Timing& t, double bareSeconds, double bareCpuSeconds) {
  nlohmann::json j;
  j["runs_s"] = t.runsSeconds;
  j["median_s"] = t.medianSeconds();
  if (t.medianSeconds() > 0) j["speed_ratio_vs_bare"] = bareSeconds / t.medianSeconds();
  if (!t.runsCpuSeconds.empty()) {
    j["cpu_runs_s"] = t.runsCpuSeconds;
    j["median_cpu_s"] = t.medianCpuSeconds();
    if (t.medianCpuSeconds() > 0 && bareCpuSeconds > 0)
      j["cpu_speed_ratio_vs_bare"] = bareCpuSeconds / t.medianCpuSeconds();
  }
  return j;
}

std::optional<double> medianCpu(const std::optional<Timing>& t) {
  return t && !t->runsCpuSeconds.empty() ? std::optional<double>(t->medianCpuSeconds()) : std::nullopt;
}

}  // namespace

void printBenchTable(std::ostream& out, const BenchReport& r) {
  out << "dlsim-bench (" << r.mode << ", median of " << r.runs << " runs; Unicorn " << r.unicornVersion << ")\n";
  out << "dlsim: " << r.dlsimStatus << "\nQEMU: " << r.qemuStatus;
  if (r.qemuBootSeconds) out << fmt(" (boot overhead %.3f s subtracted)", *r.qemuBootSeconds);
  out << "\nratio = bare seconds / other seconds (1.0 = as fast as bare Unicorn)\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-14s %14s %9s %9s %9s %7s %9s %7s %9s %7s %9s\n", "workload", "instructions",
                "bare s", "bare MIPS", "dlsim s", "ratio", "dlsim4 s", "ratio", "QEMU s", "ratio", "us/icpt");
  out << line;
  for (const auto& w : r.workloads) {
    const double bare = w.bare.medianSeconds();
    const double mips = bare > 0 ? static_cast<double>(w.instructions) / bare / 1e6 : 0;
    const auto d1 = median(w.dlsim1), d4 = median(w.dlsim4), q = qemuNet(r, w);
    const auto icpt = interceptMicros(w);
    std::snprintf(line, sizeof line, "%-14s %14llu %9.4f %9.0f %9s %7s %9s %7s %9s %7s %9s\n", w.name.c_str(),
                  static_cast<unsigned long long>(w.instructions), bare, mips, secondsCell(d1).c_str(),
                  ratioCell(bare, d1).c_str(), secondsCell(d4).c_str(), ratioCell(bare, d4).c_str(),
                  secondsCell(q).c_str(), ratioCell(bare, q).c_str(), icpt ? fmt("%.3f", *icpt).c_str() : "-");
    out << line;
  }
  // What a user weighing dlsim against plain QEMU sees (wall time, QEMU net of boot).
  bool anyQemu = false;
  for (const auto& w : r.workloads) {
    const auto d1 = median(w.dlsim1), q = qemuNet(r, w);
    if (!d1 || !q || *d1 <= 0 || *q <= 0) continue;
    if (!anyQemu) out << "\ndlsim (1 CPU) speed as a ratio to QEMU TCG's (QEMU s / dlsim s; wall, medians):";
    anyQemu = true;
    out << "  " << w.name << " " << fmt("%.2f", *q / *d1);
  }
  if (anyQemu) out << "\n";
  out << "\nCPU time of the host thread over the same spans (steadier than wall time on a busy host):\n";
  std::snprintf(line, sizeof line, "%-14s %9s %9s %7s %9s %7s %9s %7s %10s %7s %10s %7s %9s\n", "workload",
                "bare cpu", "hook cpu", "ratio", "count cpu", "ratio", "nochk cpu", "ratio", "dlsim cpu", "ratio",
                "dlsim4 cpu", "ratio", "us/icpt");
  out << line;
  for (const auto& w : r.workloads) {
    const double bare = w.bare.medianCpuSeconds();
    const auto h = medianCpu(w.bareHooked), c = medianCpu(w.bareCounted), n = medianCpu(w.bareNoChecks),
               d1 = medianCpu(w.dlsim1), d4 = medianCpu(w.dlsim4);
    const auto icpt = interceptMicrosCpu(w);
    std::snprintf(line, sizeof line, "%-14s %9.4f %9s %7s %9s %7s %9s %7s %10s %7s %10s %7s %9s\n", w.name.c_str(),
                  bare, secondsCell(h).c_str(), ratioCell(bare, h).c_str(), secondsCell(c).c_str(),
                  ratioCell(bare, c).c_str(), secondsCell(n).c_str(), ratioCell(bare, n).c_str(), secondsCell(d1).c_str(),
                  ratioCell(bare, d1).c_str(), secondsCell(d4).c_str(), ratioCell(bare, d4).c_str(),
                  icpt ? fmt("%.3f", *icpt).c_str() : "-");
    out << line;
  }
  out << "\ndlsim4 = 4 CPUs, 3 of them parked in MONITOR/MWAIT; QEMU s is net of boot overhead;\n"
         "hook = bare Unicorn with one empty block hook: the floor of any per-block accounting on Unicorn;\n"
         "count = bare Unicorn with a block hook that counts instructions exactly (table lookup and add):\n"
         "        the least any exact virtual time costs on Unicorn's hooks;\n"
         "nochk = bare Unicorn without the exit checks after guest loads and stores, which dlsim also drops\n"
         "        (cpu_model/unicorn_exit_checks.h): what the engine alone gains from that;\n"
         "us/icpt = (dlsim s - bare s) / intercepted instructions the guest executes\n";
}

void printBenchVerdict(std::ostream& out, const BenchReport& r) {
  for (const auto& w : r.workloads)
    for (const auto& p : w.problems) out << "PROBLEM " << w.name << ": " << p << "\n";
  for (const auto& p : r.problems) out << "PROBLEM " << p << "\n";
  out << (r.ok() ? "all guest results match the host's reference results\n"
                 : "FAILED: a guest result differs from the host's reference result or a runner failed\n");
}

nlohmann::json benchReportJson(const BenchReport& r) {
  nlohmann::json j;
  j["mode"] = r.mode;
  j["runs"] = r.runs;
  j["unicorn_version"] = r.unicornVersion;
  j["dlsim"] = r.dlsimStatus;
  j["qemu"] = r.qemuStatus;
  if (r.qemuBootSeconds) j["qemu_boot_overhead_s"] = *r.qemuBootSeconds;
  j["ok"] = r.ok();
  j["problems"] = r.problems;
  j["workloads"] = nlohmann::json::array();
  for (const auto& w : r.workloads) {
    nlohmann::json wj;
    const double bare = w.bare.medianSeconds();
    wj["name"] = w.name;
    wj["expected_result"] = w.expectedResultHex;
    wj["instructions"] = w.instructions;
    if (w.guestIntercepts) {
      wj["guest_intercepts"] = w.guestIntercepts;
      if (auto us = interceptMicros(w)) wj["dlsim_us_per_intercept"] = *us;
      if (auto us = interceptMicrosCpu(w)) wj["dlsim_cpu_us_per_intercept"] = *us;
    }
    const double bareCpu = w.bare.medianCpuSeconds();
    wj["bare"] = timingJson(w.bare, bare, bareCpu);
    wj["bare"].erase("speed_ratio_vs_bare");
    wj["bare"].erase("cpu_speed_ratio_vs_bare");
    if (bare > 0) wj["bare"]["mips"] = static_cast<double>(w.instructions) / bare / 1e6;
    if (w.bareHooked) wj["bare_empty_block_hook"] = timingJson(*w.bareHooked, bare, bareCpu);
    if (w.bareCounted) {
      wj["bare_counting_block_hook"] = timingJson(*w.bareCounted, bare, bareCpu);
      wj["bare_counting_block_hook"]["instructions"] = w.hookCountedInstructions;
    }
    if (w.bareNoChecks) wj["bare_without_exit_checks"] = timingJson(*w.bareNoChecks, bare, bareCpu);
    if (w.dlsim1) {
      wj["dlsim_1cpu"] = timingJson(*w.dlsim1, bare, bareCpu);
      wj["dlsim_1cpu"]["intercepted_instructions"] = w.dlsimIntercepted;
      wj["dlsim_1cpu"]["retired_instructions"] = w.dlsimInstructions;
    }
    if (w.dlsim4) {
      wj["dlsim_4cpu_3mwait"] = timingJson(*w.dlsim4, bare, bareCpu);
      wj["dlsim_4cpu_3mwait"]["peak_rss_bytes"] = w.dlsimPeakRssBytes;
    }
    if (w.qemuRaw) {
      wj["qemu"]["raw_runs_s"] = w.qemuRaw->runsSeconds;
      wj["qemu"]["raw_cpu_runs_s"] = w.qemuRaw->runsCpuSeconds;
      wj["qemu"]["raw_median_s"] = w.qemuRaw->medianSeconds();
      if (auto net = qemuNet(r, w)) {
        wj["qemu"]["net_s"] = *net;
        if (*net > 0) wj["qemu"]["speed_ratio_vs_bare"] = bare / *net;
        if (const auto d1 = median(w.dlsim1); d1 && *d1 > 0 && *net > 0)
          wj["dlsim_1cpu"]["speed_ratio_vs_qemu"] = *net / *d1;
      }
    }
    wj["problems"] = w.problems;
    j["workloads"].push_back(wj);
  }
  return j;
}

}  // namespace dlsim
