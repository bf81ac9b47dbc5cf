// Every scenario in scenarios/ that runs survives a snapshot: built as `dlsim
// run` builds it (platform models included), run to half its instructions,
// snapshotted, run on to the end; then restored and run to the end again. Both
// ends must agree on the stop, instruction count, trace hash, every CPU's
// state, serial/VGA output, events, RAM and the models' observations.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/model_list.h"
#include "sim/machine/runner.h"
#include "sim/scenario/input_path.h"
#include "sim/scenario/scenario_parser.h"

namespace dlsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> scenarioFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(DLSIM_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".json" || e.path().parent_path().filename() == "schema") continue;
    out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// FNV-1a over all RAM, region by region.
uint64_t ramDigest(Machine& m) {
  uint64_t h = 1469598103934665603ull;
  std::vector<uint8_t> buf;
  for (const auto& r : m.memory().regions()) {
    buf.resize(r.size);
    EXPECT_TRUE(m.memory().read(r.base, buf.data(), buf.size()));
    for (uint8_t b : buf) h = (h ^ b) * 1099511628211ull;
  }
  return h;
}

// Everything a run's end is judged by, as JSON (so a difference prints).
nlohmann::json endState(ScenarioMachine& sm, const StopInfo& stop) {
  Machine& m = *sm.machine;
  Observation o = m.observe();
  nlohmann::json j;
  j["stop"] = {stop.reason, stop.cpu, stop.address, stop.detail};
  j["instructions"] = o.instructions;
  j["trace_hash"] = o.traceHash;
  for (const auto& c : o.cpus)
    j["cpus"].push_back({c.id, c.state, c.mode, c.monitorArmed, c.monitorAddress, c.registers, c.instructions,
                         c.exceptionChain});
  j["serial"] = o.serial;
  j["vga"] = o.vga;
  j["events"] = o.events;
  j["ram"] = ramDigest(m);
  nlohmann::json models = nlohmann::json::object();
  for (const auto& mo : sm.observeModels()) mo.obs->addToJson(models);
  j["models"] = models;
  return j;
}

TEST(ScenarioSnapshot, RestoredRunEndsLikeTheRunOn) {
  int ran = 0;
  for (const std::string& file : scenarioFiles()) {
    SCOPED_TRACE(file);
    // A scenario whose "@NAME/" input directory is absent here (Debian's tboot
    // where the set-up could not fetch it) is skipped, as tests/tboot skips it.
    Scenario s;
    try {
      s = loadScenario(file, platformModels());
    } catch (const MissingInputError& e) {
      std::cout << "skipped (" << e.directory << " absent): " << file << "\n";
      continue;
    }
    Report whole = runScenario(s);
    if (whole.result == run_result::kError) continue;  // refused input: nothing runs
    ScenarioMachine sm = buildScenarioMachine(s);
    Machine& m = *sm.machine;
    m.boot(sm.boot);
    m.run(whole.obs.instructions / 2);
    auto snap = m.snapshot();
    const nlohmann::json runOn = endState(sm, m.run());
    m.restore(*snap);
    const nlohmann::json again = endState(sm, m.run());
    EXPECT_EQ(runOn, again);
    ++ran;
  }
  EXPECT_GT(ran, 20);
}

}  // namespace
}  // namespace dlsim
