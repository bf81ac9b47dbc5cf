// Machine snapshots with a TPM: the TIS/CRB device's state carries the TPM
// engine's, so a restored machine re-runs a TPM scenario's guest (Startup,
// PCR extends) to the same PCR values, serial output and trace hash every
// time, from a snapshot taken at boot and from one taken mid-run, with
// dlsim's engine and with libtpms. The PCR values are also checked against
// the scenario's expectations (computed by scenarios/tpm/expected_values.py).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/hex.h"
#include "sim/machine/runner.h"
#include "tpm_model/platform/tpm_platform_model.h"
#include "tpm_model/platform/tpm_setup.h"
#include "sim/scenario/scenario_parser.h"

namespace dlsim {
namespace {

std::string scenarioPath(const std::string& name) {
  return std::string(DLSIM_SOURCE_DIR) + "/scenarios/tpm/" + name;
}

const std::map<std::string, uint16_t> kBanks = {{"sha1", 0x0004}, {"sha256", 0x000B}};

// Every PCR of the SHA-1 and SHA-256 banks, as hex.
std::map<std::string, std::string> pcrs(tpm::TpmEngine& e) {
  std::map<std::string, std::string> out;
  for (const auto& [name, alg] : kBanks)
    for (unsigned i = 0; i < 24; ++i)
      if (auto v = e.pcrValue(alg, i)) out[name + "/" + std::to_string(i)] = hexBytes(v->data(), v->size());
  return out;
}

struct Run {
  StopInfo stop;
  Observation obs;
  std::map<std::string, std::string> pcrs;
};

Run runToEnd(Machine& m, TpmSetup& tpm) {
  Run r;
  r.stop = m.run();
  r.obs = m.observe();
  r.pcrs = pcrs(tpm.engine());
  return r;
}

void expectSameRun(const Run& a, const Run& b, const std::string& what) {
  ASSERT_EQ(a.stop.reason, b.stop.reason) << what << ": " << b.stop.detail;
  EXPECT_EQ(a.obs.traceHash, b.obs.traceHash) << what;
  EXPECT_EQ(a.obs.instructions, b.obs.instructions) << what;
  EXPECT_EQ(a.obs.serial.at("com1"), b.obs.serial.at("com1")) << what;
  EXPECT_EQ(a.pcrs, b.pcrs) << what;
}

void runScenarioWithRestores(const std::string& file, int restores) {
  Scenario s = loadScenario(scenarioPath(file), {&tpmPlatformModel()});
  ASSERT_TRUE(findTpmSpec(s.models));
  Machine m(machineConfigOf(s));
  TpmSetup& tpm = TpmSetup::install(m, *findTpmSpec(s.models), s.machine.seed, s.file);
  BootState boot = loadImages(m, s);
  m.boot(boot);

  // From boot: the guest runs Startup and its extends again after each restore.
  auto atBoot = m.snapshot();
  const Run first = runToEnd(m, tpm);
  ASSERT_EQ(first.stop.reason, stop_reason::kAllHalted) << first.stop.detail;
  const std::string& serial = first.obs.serial.at("com1");
  ASSERT_NE(serial.find("startup rc=00000000"), std::string::npos) << serial;
  ASSERT_NE(serial.find("extend16 rc=00000000"), std::string::npos) << serial;
  // The values the scenario expects (independently computed).
  for (const auto& [bank, values] : s.expect.at("pcrs").items())
    for (const auto& [index, value] : values.items())
      EXPECT_EQ(first.pcrs.at(bank + "/" + index), value.get<std::string>()) << file << " " << bank << " PCR " << index;
  for (int i = 0; i < restores; ++i) {
    m.restore(*atBoot);
    expectSameRun(first, runToEnd(m, tpm), file + ": restore " + std::to_string(i) + " of the boot snapshot");
    if (::testing::Test::HasFailure()) return;
  }

  // Mid-run: after about half the instructions (inside the command sequence).
  m.restore(*atBoot);
  StopInfo part = m.run(first.obs.instructions / 2);
  ASSERT_NE(part.reason, stop_reason::kAllHalted) << "the guest finished within half its instructions";
  auto midRun = m.snapshot();
  const Run second = runToEnd(m, tpm);
  ASSERT_EQ(second.stop.reason, stop_reason::kAllHalted) << second.stop.detail;
  EXPECT_EQ(second.pcrs, first.pcrs) << file << ": a run split at a snapshot";
  EXPECT_EQ(second.obs.serial.at("com1"), serial) << file;
  for (int i = 0; i < restores / 4; ++i) {
    m.restore(*midRun);
    expectSameRun(second, runToEnd(m, tpm), file + ": restore " + std::to_string(i) + " of the mid-run snapshot");
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(TpmMachineSnapshot, TisDlsimEngineReplaysIdentically) { runScenarioWithRestores("tis-extend-dlsim.json", 200); }

TEST(TpmMachineSnapshot, TisLibtpmsReplaysIdentically) { runScenarioWithRestores("tis-extend-libtpms.json", 200); }

TEST(TpmMachineSnapshot, CrbReplaysIdentically) { runScenarioWithRestores("crb-extend.json", 50); }

}  // namespace
}  // namespace dlsim
