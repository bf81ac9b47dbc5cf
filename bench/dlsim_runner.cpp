// The benchmark guest under a dlsim machine (see bench/dlsim_runner.h).
#include "bench/dlsim_runner.h"

#include <sys/resource.h>
#include <time.h>

#include <chrono>

#include "sim/errors.h"
#include "sim/machine/machine.h"

namespace dlsim {

namespace {

// Real-mode parking loop for the APs at 0x7000: MONITOR a mailbox line at
// 0x7f00 and MWAIT on it forever (nobody writes it).
//   cli; xor ax,ax; mov ds,ax; mov eax,0x7f00; xor ecx,ecx; xor edx,edx
//   .l: monitor; mwait; jmp .l
constexpr uint8_t kParkCode[] = {0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0x66, 0xb8, 0x00, 0x7f, 0x00, 0x00, 0x66, 0x31,
                                 0xc9, 0x66, 0x31, 0xd2, 0x0f, 0x01, 0xc8, 0x0f, 0x01, 0xc9, 0xeb, 0xf8};
constexpr uint64_t kParkAddr = 0x7000;

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

DlsimResult runUnderDlsim(const BenchGuest& g, int cpus, bool otherCpusInMwait) {
  MachineConfig cfg;
  cfg.cpus = cpus;
  uint64_t ram = (g.ramBytes + 0xfffff) & ~0xfffffull;
  cfg.memory = {{0, ram, "ram"}};
  cfg.maxInstructions = 100000000000ull;
  Machine m(cfg);
  if (!m.memory().write(g.loadAddr, g.flatImage.data(), g.flatImage.size()))
    throw InputError(g.name + ": image does not fit in " + std::to_string(ram) + " bytes of RAM");
  m.memory().write(kParkAddr, kParkCode, sizeof kParkCode);
  BootState boot;
  boot.mode = EntryMode::Protected;
  boot.entry = g.entry;
  m.boot(boot);
  if (otherCpusInMwait) {
    for (int i = 1; i < cpus; ++i) m.cpu(i).startup(static_cast<uint8_t>(kParkAddr >> 12));
  }

  const double cpu0 = threadCpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  StopInfo stop = m.run();
  const auto t1 = std::chrono::steady_clock::now();
  const double cpu1 = threadCpuSeconds();
  if (stop.reason != stop_reason::kAllHalted || m.cpu(0).state() != CpuState::Halted)
    throw InternalError(g.name + " under dlsim stopped with " + stop.reason + ": " + stop.detail);
  if (otherCpusInMwait) {
    for (int i = 1; i < cpus; ++i)
      if (m.cpu(i).state() != CpuState::Mwait)
        throw InternalError(g.name + ": CPU " + std::to_string(i) + " is not in MWAIT at the end");
  }

  DlsimResult r;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.cpuSeconds = cpu1 - cpu0;
  std::vector<uint8_t> block(kResultBlockBytes);
  m.memory().read(BENCH_RESULT_BLOCK_ADDR, block.data(), block.size());
  if (auto res = parseResultBlock(block)) r.result = *res;
  r.instructions = m.cpu(0).retired();
  r.interceptedInstructions = m.platform().intercepted;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  r.peakRssBytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
  return r;
}

}  // namespace dlsim
