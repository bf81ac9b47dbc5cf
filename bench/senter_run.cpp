// One measured launch (see senter_run.h).
#include "bench/senter_run.h"
#include "bench/host_clock.h"

#include <time.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "cpu_model/cpu.h"
#include "models/model_list.h"
#include "sim/errors.h"
#include "sim/scenario/scenario_parser.h"

namespace dlsim::bench {
namespace {

constexpr uint64_t kTxtPublic = 0xFED30000;  // TXT public space (spec section 2)
constexpr uint64_t kHeapBaseReg = 0x300, kHeapSizeReg = 0x308;
constexpr uint32_t kGetsecSenter = 4;

// Every 0F 37 (GETSEC) in the flat images the scenario loaded: the places a
// CPU may execute SENTER from. A pair that is not an instruction start is
// never reached as one, so it costs one hook and nothing else.
std::vector<uint64_t> getsecCandidates(Machine& m, const Scenario& s) {
  std::vector<uint64_t> out;
  for (const LoadSpec& l : s.load) {
    if (l.type != LoadType::Flat || !l.address) continue;
    const uint64_t size = std::filesystem::file_size(l.file);
    std::vector<uint8_t> bytes(size);
    if (!m.memory().read(*l.address, bytes.data(), bytes.size())) continue;
    for (size_t i = 0; i + 1 < bytes.size(); ++i)
      if (bytes[i] == 0x0F && bytes[i + 1] == 0x37) out.push_back(*l.address + i);
  }
  return out;
}

std::vector<uint8_t> readGuest(Machine& m, uint64_t base, uint64_t size, const std::string& what) {
  std::vector<uint8_t> b(size);
  if (size != 0 && !m.memory().read(base, b.data(), b.size()))
    throw InputError(what + " [" + std::to_string(base) + ", +" + std::to_string(size) + ") is not RAM");
  return b;
}

}  // namespace

SenterRun runSenterToMle(const std::string& scenarioPath) {
  const Scenario s = loadScenario(scenarioPath, platformModels());
  if (!s.stop || !s.stop->at)
    throw InputError(scenarioPath + ": /stop/at: missing: the SENTER benchmark needs the MLE entry as stop.at");
  SenterRun r;
  r.machine = buildScenarioMachine(s);
  Machine& m = *r.machine.machine;
  r.cpus = m.cpuCount();
  r.mleEntry = *s.stop->at;

  double wall0 = 0, cpu0 = 0, wall1 = 0, cpu1 = 0;
  const auto candidates = getsecCandidates(m, s);
  if (candidates.empty())
    throw InputError(scenarioPath + ": no GETSEC (0F 37) in the scenario's flat images");
  for (uint64_t addr : candidates) {
    m.atAddress(addr, std::nullopt, [&](int cpu) {
      if (r.reachedSenter) return;
      Cpu& c = m.cpu(cpu);
      if (uint32_t(c.reg(Reg::Rax)) != kGetsecSenter) return;
      SenterCapture& cap = r.capture;
      cap.ilp = cpu;
      cap.sinitBase = uint32_t(c.reg(Reg::Rbx));
      cap.sinitSize = uint32_t(c.reg(Reg::Rcx));
      cap.edx = uint32_t(c.reg(Reg::Rdx));
      cap.heapBase = m.bus().mmioRead(AccessContext::fromCpu(cpu), kTxtPublic + kHeapBaseReg, 8);
      cap.heapSize = m.bus().mmioRead(AccessContext::fromCpu(cpu), kTxtPublic + kHeapSizeReg, 8);
      cap.acm = readGuest(m, cap.sinitBase, cap.sinitSize, "the SINIT ACM (EBX, ECX)");
      cap.heap = readGuest(m, cap.heapBase, cap.heapSize, "the TXT heap");
      r.instructionsBeforeSenter = m.platform().time;
      r.reachedSenter = true;
      cpu0 = threadCpuUs();
      wall0 = wallUs();  // last: the copies above are not SENTER's
    });
  }
  m.atAddress(r.mleEntry, std::nullopt, [&](int) {
    wall1 = wallUs();
    cpu1 = threadCpuUs();
    r.reachedMle = true;
  });
  m.boot(r.machine.boot);
  const StopInfo stop = m.run();
  // The stop address itself ends the run before the action runs: take the
  // clock here if so (nothing but the scheduler's return lies between).
  if (!r.reachedMle && stop.reason == stop_reason::kStopAddress) {
    wall1 = wallUs();
    cpu1 = threadCpuUs();
    r.reachedMle = true;
  }
  r.stopReason = stop.reason;
  r.stopDetail = stop.detail;
  r.instructionsAtEnd = m.platform().time;
  if (r.reachedSenter && r.reachedMle) {
    r.wallUs = wall1 - wall0;
    r.cpuUs = cpu1 - cpu0;
  }
  return r;
}

}  // namespace dlsim::bench
