// Tests of the TPM parts of the JSON and text reports.
#include "tpm_model/platform/tpm_report.h"

#include <gtest/gtest.h>

#include "sim/report/json_report.h"
#include "sim/report/text_report.h"
#include "sim/tests/report/report_fixture.h"

namespace dlsim {
namespace {

using json = nlohmann::json;

TpmObservation sample() {
  TpmObservation t;
  t.interface = "crb";
  t.engine = "libtpms";
  t.pcrs["sha1"][0] = std::string(40, '0');
  t.pcrs["sha1"][17] = std::string(40, 'f');
  t.activeLocality = 2;
  t.established = true;
  t.commandsPerLocality = {1, 0, 1, 0, 0};
  t.commands.push_back({0, 0x8001, 0x144u, true, 0});
  t.commands.push_back({2, 0x8002, 0x182u, true, 0x101});
  t.commands.push_back({2, std::nullopt, std::nullopt, false, 0});
  t.hung = true;
  t.droppedAccesses = 7;
  return t;
}

TEST(TpmReport, JsonFields) {
  Report r = testing::makeReport("t", {});
  auto tpm = std::make_shared<TpmObservation>(sample());
  r.models.push_back({"tpm", tpm});
  json j = runToJson(r, {});
  EXPECT_EQ(j["pcrs"]["sha1"]["0"], std::string(40, '0'));
  EXPECT_EQ(j["pcrs"]["sha1"]["17"], std::string(40, 'f'));
  const json& t = j["tpm"];
  EXPECT_EQ(t["interface"], "crb");
  EXPECT_EQ(t["engine"], "libtpms");
  EXPECT_EQ(t["active_locality"], 2);
  EXPECT_EQ(t["established"], true);
  EXPECT_EQ(t["hung"], true);
  EXPECT_EQ(t["dropped_accesses"], 7);
  EXPECT_EQ(t["commands"]["per_locality"], json::parse(R"({"0": 1, "1": 0, "2": 1, "3": 0, "4": 0})"));
  ASSERT_EQ(t["commands"]["list"].size(), 3u);
  EXPECT_EQ(t["commands"]["list"][0],
            json::parse(R"({"locality": 0, "tag": "0x8001", "code": "0x144", "name": "TPM2_Startup", "answered": true,
                            "rc": "0x0"})"));
  EXPECT_EQ(t["commands"]["list"][1]["name"], "TPM2_PCR_Extend");
  EXPECT_EQ(t["commands"]["list"][1]["rc"], "0x101");
  EXPECT_EQ(t["commands"]["list"][2],
            json::parse(R"j({"locality": 2, "tag": null, "code": null, "name": "(incomplete)", "answered": false,
                             "rc": null})j"));
  EXPECT_FALSE(j.contains("event_log"));

  tpm->activeLocality = -1;
  EXPECT_TRUE(runToJson(r, {})["tpm"]["active_locality"].is_null());
}

// tboot's family probe: a TPM 1.2-tagged command with ordinal 0xFFFFFFFF,
// answered TPM_RC_BAD_TAG; the report names it as what it is.
TEST(TpmReport, Tpm12CommandIsNamedByItsTagAndOrdinal) {
  TpmObservation t = sample();
  t.commands = {{0, 0x00C1, 0xFFFFFFFFu, true, 0x1E}};
  json l = tpmToJson(t)["commands"]["list"][0];
  EXPECT_EQ(l["tag"], "0xc1");
  EXPECT_EQ(l["code"], "0xffffffff");
  EXPECT_EQ(l["name"], "TPM 1.2 command (tag 0xc1, ordinal 0xffffffff)");
  EXPECT_EQ(l["rc"], "0x1e");
  EXPECT_NE(tpmText(t).find("(last TPM 1.2 command (tag 0xc1, ordinal 0xffffffff) rc 0x1e)"), std::string::npos)
      << tpmText(t);
}

TEST(TpmReport, NoTpmNoKeys) {
  Report r = testing::makeReport("t", {});
  json j = runToJson(r, {});
  EXPECT_FALSE(j.contains("pcrs"));
  EXPECT_FALSE(j.contains("tpm"));
  EXPECT_FALSE(j.contains("event_log"));
}

TEST(TpmReport, EventLogJson) {
  EventLogObservation e;
  e.format = "tcg2";
  e.address = 0x10000;
  e.size = 4096;
  e.log = json::parse(R"({"format": "crypto-agile", "events": []})");
  e.measurements = 1;
  e.startValues = "after-startup";
  e.replayed["sha256"][16] = "ab";
  json j = eventLogToJson(e);
  EXPECT_EQ(j["address"], "0x10000");
  EXPECT_EQ(j["size"], 4096);
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["log"]["format"], "crypto-agile");
  EXPECT_EQ(j["replayed"]["sha256"]["16"], "ab");
  EXPECT_EQ(j["replays"], true);
  EXPECT_EQ(j["start_values"], "after-startup");
  e.error = "bad log";
  j = eventLogToJson(e);
  EXPECT_EQ(j["error"], "bad log");
  EXPECT_TRUE(j["log"].is_null());
  EXPECT_EQ(j["replays"], false);
}

TEST(TpmReport, TextOnlyForRunsThatDidNotPass) {
  Report pass = testing::makeReport("ok", {{"pcrs.sha1[0]", true, "00", "00"}});
  pass.models.push_back({"tpm", std::make_shared<TpmObservation>(sample())});
  EXPECT_EQ(writeTextReport(pass, {}).find("tpm:"), std::string::npos);
  Report fail = testing::makeReport("bad", {{"pcrs.sha1[0]", false, "11", "00"}});
  auto tpm = std::make_shared<TpmObservation>(sample());
  tpm->eventLog = EventLogObservation{};
  tpm->eventLog->disagreements = {"sha1 PCR17: differs"};
  fail.models.push_back({"tpm", tpm});
  std::string text = writeTextReport(fail, {});
  EXPECT_NE(text.find("  tpm: crb/libtpms, locality 2 active, established yes, 2 commands (last (incomplete) unanswered), "
                      "stopped answering\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  event log: sha1 PCR17: differs\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace dlsim
