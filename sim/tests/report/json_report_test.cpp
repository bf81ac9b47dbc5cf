// JSON report fields, the multi-run wrapper and robustness to guest bytes.
#include "sim/report/json_report.h"

#include <gtest/gtest.h>

#include "sim/tests/report/report_fixture.h"

namespace dlsim {
namespace {

using nlohmann::json;

TEST(JsonReport, OneRunHasEveryField) {
  Report r = testing::makeReport("boot", {{"cpu0.rax", false, "0x1", "0x2"}, {"stop.reason", true, "a", "a"}});
  r.obs.cpus[1].monitorArmed = true;
  r.obs.cpus[1].monitorAddress = 0x9000;
  r.obs.cpus[1].exceptionChain = {"#GP(0x0) at 0x1234", "#DF"};
  r.obs.engine = {"2.1.1", "ab12", "some package", true};
  json j = json::parse(writeJsonReport({r}));
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["result"], "fail");
  EXPECT_EQ(j["scenario"], (json{{"name", "boot"}, {"file", "scenarios/boot.json"}}));
  EXPECT_TRUE(j["expected_failure"].is_null());
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["stop"]["reason"], "all-cpus-halted");
  EXPECT_EQ(j["stop"]["cpu"], 0);
  EXPECT_EQ(j["stop"]["address"], "0x7c20");
  EXPECT_EQ(j["stop"]["detail"], "all CPUs halted");
  EXPECT_EQ(j["instructions"], 1234);
  EXPECT_EQ(j["trace_hash"], "00112233");
  EXPECT_EQ(j["engine"], (json{{"unicorn", "2.1.1"}, {"unicorn_build_id", "ab12"},
                               {"unicorn_package", "some package"}, {"exit_check_switch", true}}));
  ASSERT_EQ(j["cpus"].size(), 2u);
  EXPECT_EQ(j["cpus"][0]["id"], 0);
  EXPECT_EQ(j["cpus"][0]["state"], "halted");
  EXPECT_EQ(j["cpus"][0]["mode"], "long");
  EXPECT_EQ(j["cpus"][0]["registers"]["rax"], "0xffffffff12345678");
  EXPECT_EQ(j["cpus"][0]["registers"]["cr0"], "0x80000011");
  EXPECT_EQ(j["cpus"][0]["instructions"], 1000);
  EXPECT_FALSE(j["cpus"][0].contains("monitor_address"));
  EXPECT_FALSE(j["cpus"][0].contains("exception_chain"));
  EXPECT_EQ(j["cpus"][1]["monitor_address"], "0x9000");
  EXPECT_EQ(j["cpus"][1]["exception_chain"], (json{"#GP(0x0) at 0x1234", "#DF"}));
  EXPECT_EQ(j["serial"]["com1"], "booting\nHello, world\nboot ok\n");
  EXPECT_EQ(j["vga"], "dlsim OK");
  EXPECT_EQ(j["events"], (json{"unclaimed port write 0x80"}));
  ASSERT_EQ(j["checks"].size(), 2u);
  EXPECT_EQ(j["checks"][0], (json{{"name", "cpu0.rax"}, {"ok", false}, {"expected", "0x1"}, {"actual", "0x2"}}));
  EXPECT_FALSE(j.contains("host_seconds"));
  EXPECT_FALSE(j.contains("runs"));
}

TEST(JsonReport, HostTimeOnlyWhenAsked) {
  Report r = testing::makeReport("t", {});
  json j = json::parse(writeJsonReport({r}, JsonReportOptions{true}));
  EXPECT_EQ(j["host_seconds"], 1.25);
}

TEST(JsonReport, IdenticalRunsGiveIdenticalBytes) {
  Report a = testing::makeReport("t", {{"x", true, 1, 1}});
  Report b = testing::makeReport("t", {{"x", true, 1, 1}});
  b.hostSeconds = 99;  // wall time must not leak into the default report
  EXPECT_EQ(writeJsonReport({a}), writeJsonReport({b}));
}

TEST(JsonReport, SeveralRunsUseTheWrapper) {
  Report a = testing::makeReport("a", {});
  Report b = testing::makeReport("b", {{"x", false, 1, 2}});
  json j = json::parse(writeJsonReport({a, b}));
  EXPECT_EQ(j["version"], 1);
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][0]["scenario"]["name"], "a");
  EXPECT_EQ(j["runs"][0]["result"], "pass");
  EXPECT_EQ(j["runs"][1]["result"], "fail");
  EXPECT_FALSE(j["runs"][0].contains("version"));
  EXPECT_EQ(json::parse(writeJsonReport({})), (json{{"version", 1}, {"runs", json::array()}}));
}

TEST(JsonReport, ExpectedFailureAndErrors) {
  Report x = testing::makeReport("x", {});
  x.expectedFailure = "bug 7";
  x.checks = {{"c", false, 1, 2}};
  decideResult(x);
  json jx = runToJson(x);
  EXPECT_EQ(jx["result"], "pass");
  EXPECT_EQ(jx["expected_failure"], (json{{"reason", "bug 7"}, {"failed_as_expected", true}}));

  Report e;
  e.scenarioFile = "bad.json";
  setError(e, ErrorKind::kInput, "bad.json: /machine: missing");
  json je = runToJson(e);
  EXPECT_EQ(je["result"], "error");
  EXPECT_EQ(je["error"], (json{{"kind", "input"}, {"message", "bad.json: /machine: missing"}}));
  EXPECT_TRUE(je["stop"].is_null());
}

TEST(JsonReport, InvalidUtf8FromTheGuestIsReplacedNotThrown) {
  Report r = testing::makeReport("t", {});
  r.obs.serial["com1"] = std::string("ok\xff\xfe\x01", 5);
  std::string text;
  ASSERT_NO_THROW(text = writeJsonReport({r}));
  json j = json::parse(text);
  EXPECT_EQ(j["serial"]["com1"], "ok\xEF\xBF\xBD\xEF\xBF\xBD\x01");  // U+FFFD twice, control kept (JSON-escaped)
  EXPECT_NE(text.find("\\u0001"), std::string::npos);
}

}  // namespace
}  // namespace dlsim
