// Benchmark guest on a dlsim machine (see bench_machine.h).
#include "bench/bench_machine.h"

#include <string>

#include "sim/errors.h"

namespace dlsim {

namespace {

// Real-mode parking loop for the APs at 0x7000: MONITOR a mailbox line at
// 0x7f00 and MWAIT on it forever (nobody writes it).
//   cli; xor ax,ax; mov ds,ax; mov eax,0x7f00; xor ecx,ecx; xor edx,edx
//   .l: monitor; mwait; jmp .l
constexpr uint8_t kParkCode[] = {0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0x66, 0xb8, 0x00, 0x7f, 0x00, 0x00, 0x66, 0x31,
                                 0xc9, 0x66, 0x31, 0xd2, 0x0f, 0x01, 0xc8, 0x0f, 0x01, 0xc9, 0xeb, 0xf8};
constexpr uint64_t kParkAddr = 0x7000;

}  // namespace

std::vector<RamSpec> fourGibRamLayout() {
  return {{0, 0xC0000000ull, "ram-low"}, {0x100000000ull, 0x40000000ull, "ram-high"}};
}

std::unique_ptr<Machine> makeBenchMachine(const BenchGuest& g, int cpus, bool otherCpusInMwait,
                                          std::vector<RamSpec> ram) {
  MachineConfig cfg;
  cfg.cpus = cpus;
  if (ram.empty()) ram = {{0, (g.ramBytes + 0xfffff) & ~0xfffffull, "ram"}};
  cfg.memory = std::move(ram);
  cfg.maxInstructions = 100000000000ull;
  auto m = std::make_unique<Machine>(cfg);
  if (!m->memory().write(g.loadAddr, g.flatImage.data(), g.flatImage.size()))
    throw InputError(g.name + ": image (" + std::to_string(g.flatImage.size()) + " bytes at " +
                     std::to_string(g.loadAddr) + ") does not fit in the machine's RAM");
  if (otherCpusInMwait && !m->memory().write(kParkAddr, kParkCode, sizeof kParkCode))
    throw InputError(g.name + ": no RAM at the AP parking address 0x7000");
  BootState boot;
  boot.mode = EntryMode::Protected;
  boot.entry = g.entry;
  m->boot(boot);
  if (otherCpusInMwait) {
    for (int i = 1; i < cpus; ++i) m->cpu(i).startup(static_cast<uint8_t>(kParkAddr >> 12));
  }
  return m;
}

void checkBenchRunEnd(Machine& m, const BenchGuest& g, const StopInfo& stop, bool otherCpusInMwait) {
  if (stop.reason != stop_reason::kAllHalted || m.cpu(0).state() != CpuState::Halted)
    throw InternalError(g.name + " under dlsim stopped with " + stop.reason + ": " + stop.detail);
  if (otherCpusInMwait) {
    for (int i = 1; i < m.cpuCount(); ++i)
      if (m.cpu(i).state() != CpuState::Mwait)
        throw InternalError(g.name + ": CPU " + std::to_string(i) + " is not in MWAIT at the end");
  }
}

std::vector<uint8_t> benchMachineResult(Machine& m) {
  std::vector<uint8_t> block(kResultBlockBytes);
  if (!m.memory().read(BENCH_RESULT_BLOCK_ADDR, block.data(), block.size())) return {};
  if (auto res = parseResultBlock(block)) return *res;
  return {};
}

}  // namespace dlsim
