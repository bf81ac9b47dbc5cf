// Text report: headline per result, failed checks, serial tail, summary.
#include "sim/report/text_report.h"

#include <gtest/gtest.h>

#include <memory>

#include "sim/tests/report/report_fixture.h"

namespace dlsim {
namespace {

TEST(TextReport, PassIsOneLine) {
  Report r = testing::makeReport("boot", {{"stop.reason", true, "all-cpus-halted", "all-cpus-halted"}});
  EXPECT_EQ(writeTextReport(r), "PASS boot (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions)\n");
}

// A model with a short summary and a longer detail (TXT: registers / heap).
struct TwoLevelObservation : ModelObservation {
  void addToJson(nlohmann::json&) const override {}
  std::string text() const override { return "  model: summary\n"; }
  std::string detailText() const override { return "  model: summary\n  model: detail\n"; }
};

TEST(TextReport, VerboseGivesEveryRunTheFullBlockWithTheModelsDetail) {
  Report r = testing::makeReport("boot", {{"stop.reason", true, "all-cpus-halted", "all-cpus-halted"}});
  r.models.push_back({"m", std::make_shared<TwoLevelObservation>()});
  const std::string headline = "PASS boot (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions)\n";
  EXPECT_EQ(writeTextReport(r), headline);
  TextReportOptions verbose;
  verbose.verbose = true;
  const std::string tail = "  com1, last 20 lines:\n    | booting\n    | Hello, world\n    | boot ok\n";
  EXPECT_EQ(writeTextReport(r, verbose),
            headline + "  stop detail: all CPUs halted\n  model: summary\n  model: detail\n" + tail);
  // A failure without --verbose: the summary only.
  Report f = testing::makeReport("boot", {{"cpu0.rax", false, "0x1234", "0x0"}});
  f.models = r.models;
  const std::string text = writeTextReport(f);
  EXPECT_NE(text.find("  model: summary\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("model: detail"), std::string::npos) << text;
  EXPECT_NE(writeTextReport(f, verbose).find("  model: summary\n  model: detail\n"), std::string::npos);
}

TEST(TextReport, FailureListsChecksDetailAndSerialTail) {
  Report r = testing::makeReport("boot", {{"cpu0.rax", false, "0x1234", "0x0"}, {"stop.cpu", true, 0, 0}});
  EXPECT_EQ(writeTextReport(r),
            "FAIL boot (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions)\n"
            "  failed check cpu0.rax: expected \"0x1234\", actual \"0x0\"\n"
            "  stop detail: all CPUs halted\n"
            "  com1, last 20 lines:\n"
            "    | booting\n"
            "    | Hello, world\n"
            "    | boot ok\n");
}

TEST(TextReport, SerialTailKeepsOnlyTheLastLinesAndEscapesControls) {
  Report r = testing::makeReport("t", {{"x", false, 1, 2}});
  std::string text;
  for (int i = 1; i <= 30; ++i) text += "line " + std::to_string(i) + "\r\n";
  text += "bell\a\x1b[31m";
  r.obs.serial = {{"com1", text}};
  std::string out = writeTextReport(r);
  EXPECT_EQ(out.find("line 10\n"), std::string::npos);
  EXPECT_EQ(out.find("    | line 11\n"), std::string::npos);
  EXPECT_NE(out.find("    | line 12\n"), std::string::npos);
  EXPECT_NE(out.find("    | line 30\n    | bell\\x07\\x1b[31m\n"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
}

TEST(TextReport, XfailAndUnexpectedPass) {
  Report x = testing::makeReport("x", {});
  x.expectedFailure = "bug 7";
  x.checks = {{"stop.reason", false, "all-cpus-halted", "triple-fault"}};
  decideResult(x);
  std::string out = writeTextReport(x);
  EXPECT_EQ(out.rfind("XFAIL x (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions): failed as expected: "
                      "bug 7\n  failed check stop.reason: expected \"all-cpus-halted\", actual \"triple-fault\"\n",
                      0),
            0u)
      << out;

  Report u = testing::makeReport("u", {});
  u.expectedFailure = "bug 8";
  decideResult(u);
  std::string outU = writeTextReport(u);
  EXPECT_EQ(outU.rfind("FAIL u (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions): expected to fail: bug 8\n"
                       "  failed check expected_failure: ",
                       0),
            0u)
      << outU;
  EXPECT_NE(outU.find("unexpectedly passed"), std::string::npos);
}

TEST(TextReport, ErrorLineAndNoCpuStop) {
  Report e;
  e.scenarioFile = "bad.json";
  setError(e, ErrorKind::kInput, "bad.json: /machine: missing required key");
  EXPECT_EQ(writeTextReport(e), "ERROR bad.json: input error: bad.json: /machine: missing required key\n");

  Report r = testing::makeReport("n", {});
  r.obs.stop.cpu = -1;
  r.obs.stop.reason = "instruction-limit";
  EXPECT_EQ(writeTextReport(r), "PASS n (stop: instruction-limit; 1234 instructions)\n");
}

TEST(TextReport, SummaryAndColour) {
  Report a = testing::makeReport("a", {});
  Report b = testing::makeReport("b", {{"x", false, 1, 2}});
  b.obs.serial.clear();
  b.obs.stop.detail.clear();
  std::string out = writeTextReport(std::vector<Report>{a, b});
  EXPECT_EQ(out,
            "PASS a (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions)\n"
            "FAIL b (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions)\n"
            "  failed check x: expected 1, actual 2\n"
            "2 scenarios: 1 passed, 1 failed, 0 expected failures, 0 errors\n");
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  TextReportOptions colour;
  colour.colour = true;
  EXPECT_EQ(writeTextReport(a, colour).rfind("\x1b[32mPASS\x1b[0m a ", 0), 0u);
}

TEST(TextReport, LastLines) {
  EXPECT_EQ(lastLines("a\nb\nc\n", 2), "b\nc");
  EXPECT_EQ(lastLines("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(lastLines("a\nb\nc", 5), "a\nb\nc");
  EXPECT_EQ(lastLines("a\n\n", 1), "");
  EXPECT_EQ(lastLines("a\n\n", 2), "a\n");
  EXPECT_EQ(lastLines("", 3), "");
  EXPECT_EQ(lastLines("abc", 0), "");
}

}  // namespace
}  // namespace dlsim
