// Determinism: the same scenario gives the same trace hash every run, and a
// restored snapshot replays to the same hash.
#include <gtest/gtest.h>

#include <set>

#include "sim/machine/runner.h"
#include "sim/scenario/scenario_parser.h"

namespace dlsim {
namespace {

const std::string kFourCpu = std::string(DLSIM_SOURCE_DIR) + "/scenarios/core/ap-startup.json";

TEST(Determinism, FourCpuScenarioGivesOneHashInTwentyRuns) {
  std::set<std::string> hashes;
  std::set<uint64_t> counts;
  for (int i = 0; i < 20; ++i) {
    Report r = runScenarioFile(kFourCpu);
    ASSERT_EQ(r.result, "pass") << r.error;
    ASSERT_EQ(r.obs.cpus.size(), 4u);
    hashes.insert(r.obs.traceHash);
    counts.insert(r.obs.instructions);
  }
  EXPECT_EQ(hashes.size(), 1u);
  EXPECT_EQ(counts.size(), 1u);
}

TEST(Determinism, TraceHashDependsOnWhatRan) {
  // A different quantum interleaves the CPUs differently: the hash must see it.
  Scenario s = loadScenario(kFourCpu);
  Report a = runScenario(s);
  s.machine.quantumBlocks = 1;
  Report b = runScenario(s);
  ASSERT_EQ(a.result, "pass") << a.error;
  ASSERT_EQ(b.result, "pass") << b.error;
  EXPECT_NE(a.obs.traceHash, b.obs.traceHash);
}

TEST(Snapshot, ThousandRestoresReplayToTheSameHash) {
  Scenario s = loadScenario(kFourCpu);
  Machine m(machineConfigOf(s));
  BootState boot = loadImages(m, s);
  m.boot(boot);
  auto snap = m.snapshot();
  StopInfo first = m.run();
  ASSERT_EQ(first.reason, stop_reason::kAllHalted) << first.detail;
  const Observation o1 = m.observe();
  const std::string hash = o1.traceHash;
  std::vector<uint8_t> table(4), table1(4);
  ASSERT_TRUE(m.memory().read(0x9000, table1.data(), 4) || true);
  for (int i = 0; i < 1000; ++i) {
    m.restore(*snap);
    // Restored: every AP waits for its SIPI again.
    ASSERT_EQ(m.cpu(1).state(), CpuState::WaitForSipi);
    StopInfo st = m.run();
    ASSERT_EQ(st.reason, first.reason) << "restore " << i << ": " << st.detail;
    Observation o = m.observe();
    ASSERT_EQ(o.traceHash, hash) << "restore " << i;
    ASSERT_EQ(o.instructions, o1.instructions) << "restore " << i;
    ASSERT_EQ(o.serial["com1"], o1.serial.at("com1")) << "restore " << i;
  }
}

}  // namespace
}  // namespace dlsim
