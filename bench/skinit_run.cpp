// One measured AMD launch (see skinit_run.h).
#include "bench/skinit_run.h"
#include "bench/host_clock.h"

#include <time.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>

#include "cpu_model/cpu.h"
#include "sim/checks/check_runner.h"
#include "sim/errors.h"
#include "sim/machine/runner.h"

namespace dlsim::bench {
namespace {

struct Stamp {
  double wall = 0, cpu = 0;
  static Stamp now() {
    Stamp s;
    s.cpu = threadCpuUs();
    s.wall = wallUs();
    return s;
  }
};

Span between(const Stamp& a, const Stamp& b) { return {b.wall - a.wall, b.cpu - a.cpu}; }

}  // namespace

std::vector<uint64_t> skinitCandidates(const Scenario& s) {
  std::vector<uint64_t> out;
  for (const LoadSpec& l : s.load) {
    if (l.type != LoadType::Flat || !l.address) continue;
    std::ifstream in(l.file, std::ios::binary);
    const std::vector<uint8_t> b{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // A triple that is not an instruction start is never reached as one: it
    // costs one hook and nothing else.
    for (size_t i = 0; i + 2 < b.size(); ++i)
      if (b[i] == 0x0F && b[i + 1] == 0x01 && b[i + 2] == 0xDE) out.push_back(*l.address + i);
  }
  return out;
}

uint64_t slbEntryOf(const Scenario& s, uint64_t slbBase) {
  ScenarioMachine sm = buildScenarioMachine(s);
  uint8_t hdr[2] = {};
  if (!sm.machine->memory().read(slbBase, hdr, sizeof hdr))
    throw InputError(s.file + ": the SLB base 0x" + std::to_string(slbBase) + " is not RAM");
  return slbBase + (uint64_t(hdr[0]) | uint64_t(hdr[1]) << 8);
}

SkinitRun runSkinitLaunch(const Scenario& scenario, uint64_t stopAt, HostProbeRecorder* probes) {
  Scenario s = scenario;
  s.stop = StopSpec{stopAt, 0};
  const std::vector<uint64_t> candidates = skinitCandidates(s);
  if (candidates.empty()) throw InputError(s.file + ": /load: no SKINIT (0F 01 DE) in the scenario's flat images");

  SkinitRun r;
  ScenarioMachine sm = buildScenarioMachine(s);
  Machine& m = *sm.machine;
  r.cpus = m.cpuCount();
  Stamp start, atSkinit, end;
  for (uint64_t addr : candidates) {
    m.atAddress(addr, std::nullopt, [&, addr](int cpu) {
      if (r.reachedSkinit) return;
      atSkinit = Stamp::now();
      r.reachedSkinit = true;
      r.skinitCpu = cpu;
      r.skinitAddress = addr;
      r.skinitEax = uint32_t(m.cpu(cpu).reg(Reg::Rax));
      r.instructionsAtSkinit = m.platform().time;
    });
  }
  m.boot(sm.boot);
  StopInfo stop;
  {
    std::optional<host_probe::Install> install;
    if (probes) install.emplace(probes);
    start = Stamp::now();
    stop = m.run();
    end = Stamp::now();
  }  // the stop address ends the run before any action there: nothing else lies between
  r.reachedStop = stop.reason == stop_reason::kStopAddress && stop.cpu == 0 && stop.address == stopAt;
  r.stopReason = stop.reason;
  r.stopDetail = stop.detail;
  r.stopCpu = stop.cpu;
  r.stopAddress = stop.address;
  r.instructionsAtEnd = m.platform().time;
  if (r.reachedSkinit) {
    r.toSkinit = between(start, atSkinit);
    r.skinitToStop = between(atSkinit, end);
  }
  r.total = between(start, end);
  Observation obs = m.observe();
  obs.stop = stop;
  for (const CheckResult& c : evaluate(sm.expect, obs, sm.observeModels())) {
    if (c.name.rfind("pcrs.", 0) != 0) continue;
    ++r.pcrChecks;
    if (!c.ok) r.pcrFailures.push_back(c.name + ": expected " + c.expected.dump() + ", got " + c.actual.dump());
  }
  if (auto it = obs.serial.find("com1"); it != obs.serial.end()) r.serial = it->second;
  r.traceHash = obs.traceHash;
  if (stop.cpu < 0 && !obs.cpus.empty()) {
    auto rip = obs.cpus[0].registers.find("rip");
    if (rip != obs.cpus[0].registers.end()) r.stopAddress = rip->second;
  }
  return r;
}

}  // namespace dlsim::bench
