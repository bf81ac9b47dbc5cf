// The benchmark guest under a dlsim machine (see bench/dlsim_runner.h).
#include "bench/dlsim_runner.h"
#include "bench/host_clock.h"

#include <sys/resource.h>
#include <time.h>

#include <chrono>

#include "bench/bench_machine.h"
#include "sim/errors.h"

namespace dlsim {

using bench::threadCpuSeconds;

DlsimResult runUnderDlsim(const BenchGuest& g, int cpus, bool otherCpusInMwait) {
  std::unique_ptr<Machine> m = makeBenchMachine(g, cpus, otherCpusInMwait);

  const double cpu0 = threadCpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  StopInfo stop = m->run();
  const auto t1 = std::chrono::steady_clock::now();
  const double cpu1 = threadCpuSeconds();
  checkBenchRunEnd(*m, g, stop, otherCpusInMwait);

  DlsimResult r;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.cpuSeconds = cpu1 - cpu0;
  r.result = benchMachineResult(*m);
  r.instructions = m->cpu(0).retired();
  r.interceptedInstructions = m->platform().intercepted;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  r.peakRssBytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
  return r;
}

}  // namespace dlsim
