// `dlsim validate` (validateScenarioFile) refuses as bad input what `run`
// refuses for TPM reasons, with the same message: a bank the engine cannot
// allocate, TPM expectations without a TPM, PCR expectations for a bank the
// TPM does not allocate. A scenario that meets them passes both.
#include <gtest/gtest.h>

#include <string>

#include "sim/machine/runner.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using testing_scenario::expectInputError;
using testing_scenario::scratchDir;
using testing_scenario::writeFile;

// A scenario whose guest halts at once, with the given extra top-level members.
std::string scenario(const std::string& extra) {
  const auto dir = scratchDir();
  writeFile(dir / "hlt.bin", "\xf4");
  return writeFile(dir / "s.json", R"({"name": "t", "machine": {"memory": [{"base": 0, "size": "0xa0000"}]},
    "load": [{"type": "flat", "file": "hlt.bin", "address": "0x7c00"}], "entry": {"mode": "real", "address": "0x7c00"})" +
                                       extra + "}\n");
}

// validate and run both refuse `path` with a message holding every fragment.
void expectRefused(const std::string& path, const std::vector<std::string>& fragments, const RunOptions& o = {}) {
  std::string message = expectInputError([&] { validateScenarioFile(path, o); }, fragments);
  Report r = runScenarioFile(path, o);
  EXPECT_EQ(r.result, run_result::kError);
  EXPECT_EQ(r.errorKind, ErrorKind::kInput);
  EXPECT_EQ(r.error, message);
}

const std::string kZero32(64, '0');

TEST(TpmValidate, BankTheEngineCannotAllocate) {
  expectRefused(scenario(R"(, "tpm": {"engine": "libtpms", "banks": ["sha256", "sm3_256"]})"),
                {"s.json: /tpm/banks/1: ", "libtpms engine cannot allocate a sm3_256 bank"});
}

TEST(TpmValidate, BankTheOverriddenEngineCannotAllocate) {
  RunOptions o;
  o.modelOverrides["tpm"] = {"engine=libtpms"};
  const std::string path = scenario(R"(, "tpm": {"banks": ["sm3_256"]})");
  expectRefused(path, {"/tpm/banks/0: ", "cannot allocate a sm3_256 bank"}, o);
  EXPECT_NO_THROW(validateScenarioFile(path));  // dlsim's engine allocates it
}

TEST(TpmValidate, PcrExpectationsWithoutATpm) {
  expectRefused(scenario(R"(, "expect": {"pcrs": {"sha256": {"0": ")" + kZero32 + R"("}}})"),
                {"s.json: /expect/pcrs: ", "need a TPM", "no \"tpm\" section"});
}

TEST(TpmValidate, OtherTpmExpectationsWithoutATpm) {
  expectRefused(scenario(R"(, "expect": {"tpm": {"established": false}})"), {"/expect/tpm: ", "need a TPM"});
  expectRefused(scenario(R"(, "expect": {"event_log_replays": true})"), {"/expect/event_log_replays: ", "need a TPM"});
}

TEST(TpmValidate, PcrExpectationsForABankNotAllocated) {
  expectRefused(scenario(R"(, "tpm": {"banks": ["sha1"]}, "expect": {"pcrs": {"sha256": {"0": ")" + kZero32 + R"("}}})"),
                {"s.json: /expect/pcrs/sha256: ", "the sha256 bank is not allocated (tpm.banks: sha1)"});
}

TEST(TpmValidate, MeetableExpectationsPass) {
  const std::string path =
      scenario(R"(, "tpm": {"banks": ["sha256"]}, "expect": {"pcrs": {"sha256": {"0": ")" + kZero32 + R"("}}})");
  EXPECT_NO_THROW(validateScenarioFile(path));
  Report r = runScenarioFile(path);
  EXPECT_NE(r.result, run_result::kError) << r.error;
}

}  // namespace
}  // namespace dlsim
