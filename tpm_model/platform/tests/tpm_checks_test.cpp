// Tests of the TPM expectations: parsing (every error names its pointer) and
// the checks they produce against a hand-made TpmObservation.
#include "tpm_model/platform/tpm_checks.h"

#include <gtest/gtest.h>

#include "sim/checks/check_runner.h"
#include "sim/checks/expectations.h"
#include "sim/errors.h"
#include "sim/tests/checks/observation_fixture.h"
#include "tpm_model/platform/tpm_platform_model.h"

namespace dlsim {
namespace {

using json = nlohmann::json;

// The report's model observations with this TPM observation.
std::vector<ModelObservationEntry> withTpm(const TpmObservation& t) {
  return {{"tpm", std::make_shared<TpmObservation>(t)}};
}

Expectations parse(const std::string& text) { return parseExpectations(json::parse(text), "s.json", {&tpmPlatformModel()}); }

void expectError(const std::string& text, const std::string& fragment) {
  try {
    parse(text);
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("s.json: ", 0), 0u) << e.what();
  }
}

const std::string kZero1(40, '0');
const std::string kOnes256(64, 'f');

TpmObservation makeTpm() {
  TpmObservation t;
  t.interface = "tis";
  t.engine = "dlsim";
  for (unsigned i = 0; i < 24; ++i) {
    t.pcrs["sha1"][i] = kZero1;
    t.pcrs["sha256"][i] = (i >= 17 && i <= 22) ? kOnes256 : std::string(64, '0');
  }
  t.pcrs["sha256"][16] = "de39866ede2b428e629588bd2c5c094dee8e4c0de5efdf083edbad84fa2f93a0";
  t.activeLocality = 0;
  t.commandsPerLocality = {3, 0, 1, 0, 0};
  return t;
}

const CheckResult* find(const std::vector<CheckResult>& v, const std::string& name) {
  for (const auto& c : v)
    if (c.name == name) return &c;
  return nullptr;
}

TEST(TpmChecks, ParsesEveryKey) {
  Expectations e = parse(R"({"pcrs": {"sha256": {"16": "DE39866EDE2B428E629588BD2C5C094DEE8E4C0DE5EFDF083EDBAD84FA2F93A0"},
                                      "sha1": {"0": "0000000000000000000000000000000000000000"}},
                            "event_log_replays": true,
                            "tpm": {"established": false, "active_locality": null, "commands_at_locality": {"0": 3, "2": "0x1"}}})");
  ASSERT_EQ(e.models.size(), 1u);
  ASSERT_EQ(e.models[0].model, &tpmPlatformModel());
  const auto& t = dynamic_cast<const TpmExpectations&>(*e.models[0].expect);
  EXPECT_EQ(t.pcrs.at("sha256").at(16), "de39866ede2b428e629588bd2c5c094dee8e4c0de5efdf083edbad84fa2f93a0");
  EXPECT_EQ(t.pcrs.at("sha1").at(0), kZero1);
  EXPECT_TRUE(t.eventLogReplays);
  EXPECT_EQ(t.established, false);
  EXPECT_EQ(t.activeLocality, -1);
  EXPECT_EQ(t.commandsAtLocality, (std::map<unsigned, uint64_t>{{0, 3}, {2, 1}}));
  EXPECT_TRUE(parse("{}").models.empty());  // no TPM expectations: no entry
}

TEST(TpmChecks, ParseErrorsNameThePointer) {
  expectError(R"({"pcrs": {"md5": {}}})", "/expect/pcrs/md5: unknown bank \"md5\"");
  expectError(R"({"pcrs": {"sha1": {"24": "00"}}})", "/expect/pcrs/sha1/24: \"24\" is not a PCR index 0..23");
  expectError(R"({"pcrs": {"sha1": {"07": "00"}}})", "/expect/pcrs/sha1/07: \"07\" is not a PCR index");
  expectError(R"({"pcrs": {"sha1": {"7": "00"}}})", "/expect/pcrs/sha1/7: \"00\" is not 40 hex digits");
  expectError(R"({"pcrs": {"sha256": {"7": ")" + kZero1 + R"("}}})", "/expect/pcrs/sha256/7: ");
  expectError(R"({"pcrs": {"sha1": {"7": ")" + std::string(39, '0') + R"(g"}}})", "is not 40 hex digits");
  expectError(R"({"pcrs": []})", "/expect/pcrs: [] is not an object");
  expectError(R"({"event_log_replays": false})", "/expect/event_log_replays: only true is allowed");
  expectError(R"({"event_log_replays": "yes"})", "/expect/event_log_replays: \"yes\" is not a boolean");
  expectError(R"({"tpm": {"locality": 0}})", "/expect/tpm/locality: unknown key");
  expectError(R"({"tpm": {"active_locality": 5}})", "/expect/tpm/active_locality: 5 is out of range 0..4");
  expectError(R"({"tpm": {"established": 1}})", "/expect/tpm/established: 1 is not a boolean");
  expectError(R"({"tpm": {"commands_at_locality": {"5": 1}}})", "/expect/tpm/commands_at_locality/5: \"5\" is not a locality");
  expectError(R"({"tpm": {"commands_at_locality": {"0": -1}}})", "/expect/tpm/commands_at_locality/0: ");
}

TEST(TpmChecks, ChecksAgainstTheObservation) {
  Expectations e = parse(R"({"pcrs": {"sha256": {"16": "de39866ede2b428e629588bd2c5c094dee8e4c0de5efdf083edbad84fa2f93a0",
                                                  "17": ")" + std::string(64, '0') + R"("},
                                      "sha384": {"0": ")" + std::string(96, '0') + R"("}},
                            "tpm": {"established": false, "active_locality": 0, "commands_at_locality": {"0": 3, "2": 2}}})");
  TpmObservation t = makeTpm();
  std::vector<CheckResult> out = evaluate(e, testing::makeObservation(nullptr), withTpm(t));
  const CheckResult* c = find(out, "pcrs.sha256[16]");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->ok);
  c = find(out, "pcrs.sha256[17]");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->ok);
  EXPECT_EQ(c->actual, kOnes256);
  c = find(out, "pcrs.sha384[0]");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->ok);
  EXPECT_EQ(c->actual, "bank not allocated");
  ASSERT_TRUE(find(out, "tpm.established"));
  EXPECT_TRUE(find(out, "tpm.established")->ok);
  EXPECT_TRUE(find(out, "tpm.active_locality")->ok);
  EXPECT_TRUE(find(out, "tpm.commands_at_locality[0]")->ok);
  EXPECT_FALSE(find(out, "tpm.commands_at_locality[2]")->ok);
  EXPECT_EQ(find(out, "tpm.commands_at_locality[2]")->actual, 1);
}

TEST(TpmChecks, NoTpmFailsEveryCheck) {
  Expectations e = parse(R"({"pcrs": {"sha1": {"0": ")" + kZero1 + R"("}}, "event_log_replays": true,
                            "tpm": {"established": true}})");
  std::vector<CheckResult> out = evaluate(e, testing::makeObservation(nullptr));
  ASSERT_EQ(out.size(), 3u);
  for (const auto& c : out) {
    EXPECT_FALSE(c.ok) << c.name;
    EXPECT_EQ(c.actual, "no TPM") << c.name;
  }
}

TEST(TpmChecks, EventLogReplay) {
  Expectations e = parse(R"({"event_log_replays": true})");
  TpmObservation t = makeTpm();
  std::vector<CheckResult> out = evaluate(e, testing::makeObservation(nullptr), withTpm(t));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].actual, "no event_log location in the scenario");

  t.eventLog = EventLogObservation{};
  t.eventLog->measurements = 2;
  out = evaluate(e, testing::makeObservation(nullptr), withTpm(t));
  EXPECT_TRUE(out[0].ok);
  EXPECT_EQ(out[0].actual, "replays: 2 events");

  t.eventLog->disagreements = {"sha256 PCR16: replayed aa, observed bb", "sha1 PCR16: x"};
  out = evaluate(e, testing::makeObservation(nullptr), withTpm(t));
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].actual, "sha256 PCR16: replayed aa, observed bb (and 1 more)");

  t.eventLog->disagreements.clear();
  t.eventLog->measurements = 0;
  out = evaluate(e, testing::makeObservation(nullptr), withTpm(t));
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].actual, "the log holds no measurement events");

  t.eventLog->error = "event log at 0x10000: truncated";
  out = evaluate(e, testing::makeObservation(nullptr), withTpm(t));
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].actual, "event log at 0x10000: truncated");
}

}  // namespace
}  // namespace dlsim
