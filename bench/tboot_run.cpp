// One full, timed scenario run (see tboot_run.h).
#include "bench/tboot_run.h"

#include <time.h>

#include <chrono>
#include <optional>

#include "models/model_list.h"
#include "sim/checks/check_runner.h"
#include "sim/machine/runner.h"
#include "sim/report/json_report.h"
#include "sim/report/report.h"
#include "sim/report/text_report.h"
#include "sim/scenario/scenario_parser.h"

namespace dlsim::bench {

double threadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

double wallClockUs() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {

// Times consecutive steps: each mark() closes the step begun at the last.
class StepClock {
 public:
  explicit StepClock(std::vector<StepTime>& out) : out_(out), wall_(wallClockUs()), cpu_(threadCpuUs()) {}
  void mark(const char* name) {
    const double w = wallClockUs(), c = threadCpuUs();
    out_.push_back({name, w - wall_, c - cpu_});
    wall_ = w;
    cpu_ = c;
  }

 private:
  std::vector<StepTime>& out_;
  double wall_, cpu_;
};

}  // namespace

TbootRun runScenarioTimed(const std::string& scenarioPath, HostProbeRecorder* probes) {
  TbootRun r;
  std::optional<host_probe::Install> install;
  if (probes) install.emplace(probes);  // every step (the build's figures are area "build")
  StepClock clock(r.steps);
  std::optional<Scenario> s;
  s.emplace(loadScenario(scenarioPath, platformModels()));
  clock.mark("parse");
  std::optional<ScenarioMachine> sm;
  sm.emplace(buildScenarioMachine(*s));  // models, ACPI, images (tboot.gz inflated), modules
  clock.mark("build");
  Machine& m = *sm->machine;
  m.boot(sm->boot);
  clock.mark("boot");
  StopInfo stop;
  stop = m.run();
  clock.mark("run");
  // What runScenario does after the run, and the reports `dlsim run` writes.
  Report rep;
  rep.scenarioName = s->name;
  rep.scenarioFile = s->file;
  rep.expectedFailure = s->expectedFailure;
  rep.loads = sm->loads;
  rep.symbols = sm->symbols;
  rep.obs = m.observe();
  rep.obs.stop = stop;
  rep.obs.dma = sm->dma->outcomes();
  rep.models = sm->observeModels();
  rep.checks = evaluate(sm->expect, rep.obs, rep.models);
  rep.obs.readMemory = nullptr;
  decideResult(rep);
  const std::string json = writeJsonReport({rep});
  const std::string text = writeTextReport(rep);
  clock.mark("report");
  sm.reset();
  s.reset();
  clock.mark("teardown");

  for (const StepTime& t : r.steps) {
    r.wallUs += t.wallUs;
    r.cpuUs += t.cpuUs;
  }
  r.result = rep.result;
  r.stopReason = stop.reason;
  r.instructions = rep.obs.instructions;
  r.traceHash = rep.obs.traceHash;
  for (const auto& [port, textOut] : rep.obs.serial) r.serialBytes += textOut.size();
  for (const CheckResult& c : rep.checks)
    if (!c.ok) r.failedChecks += c.name + ": expected " + c.expected.dump() + ", got " + c.actual.dump() + "\n";
  if (json.empty() || text.empty()) r.failedChecks += "the reports came out empty\n";
  return r;
}

}  // namespace dlsim::bench
