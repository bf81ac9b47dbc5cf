// Result decision (including expected failures) and exit codes.
#include "sim/report/report.h"

#include <gtest/gtest.h>

namespace dlsim {
namespace {

Report withChecks(std::vector<bool> oks) {
  Report r;
  r.scenarioName = "s";
  for (size_t i = 0; i < oks.size(); ++i) {
    std::string name = "c";  // appended: GCC 12 -O3's false -Wrestrict on `"c" + temporary`
    name += std::to_string(i);
    r.checks.push_back({name, oks[i], "0x1", "0x1"});
  }
  return r;
}

TEST(DecideResult, AllOkPassesAnyFailedFails) {
  Report none = withChecks({});
  EXPECT_EQ(decideResult(none), "pass");
  Report ok = withChecks({true, true});
  EXPECT_EQ(decideResult(ok), "pass");
  EXPECT_EQ(resultLabel(ok), "PASS");
  Report bad = withChecks({true, false});
  EXPECT_EQ(decideResult(bad), "fail");
  EXPECT_EQ(bad.result, "fail");
  EXPECT_EQ(resultLabel(bad), "FAIL");
  EXPECT_EQ(bad.checks.size(), 2u);
}

TEST(DecideResult, ExpectedFailureThatFailsIsAnXfail) {
  Report r = withChecks({true, false});
  r.expectedFailure = "bug 12";
  EXPECT_EQ(decideResult(r), "pass");
  EXPECT_TRUE(isExpectedFailure(r));
  EXPECT_EQ(resultLabel(r), "XFAIL");
  EXPECT_EQ(r.checks.size(), 2u);
}

TEST(DecideResult, ExpectedFailureThatPassesFailsWithANamedCheck) {
  Report r = withChecks({true});
  r.expectedFailure = "bug 12";
  EXPECT_EQ(decideResult(r), "fail");
  EXPECT_FALSE(isExpectedFailure(r));
  EXPECT_EQ(resultLabel(r), "FAIL");
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_EQ(r.checks[1].name, "expected_failure");
  EXPECT_FALSE(r.checks[1].ok);
  EXPECT_NE(r.checks[1].actual.get<std::string>().find("unexpectedly passed"), std::string::npos);
  // Deciding again gives the same answer and does not stack checks.
  EXPECT_EQ(decideResult(r), "fail");
  EXPECT_EQ(r.checks.size(), 2u);
}

TEST(DecideResult, ErrorStaysAnError) {
  Report r = withChecks({false});
  setError(r, ErrorKind::kInput, "a.json: /machine: bad");
  EXPECT_EQ(decideResult(r), "error");
  EXPECT_EQ(resultLabel(r), "ERROR");
  EXPECT_EQ(r.error, "a.json: /machine: bad");
}

Report withResult(const std::string& result, ErrorKind kind = ErrorKind::kNone) {
  Report r;
  r.result = result;
  r.errorKind = kind;
  return r;
}

TEST(ExitCode, HighestSeverityWins) {
  EXPECT_EQ(exitCode({}), 0);
  EXPECT_EQ(exitCode({withResult("pass"), withResult("pass")}), 0);
  EXPECT_EQ(exitCode({withResult("pass"), withResult("fail")}), 1);
  EXPECT_EQ(exitCode({withResult("fail"), withResult("error", ErrorKind::kInput), withResult("pass")}), 2);
  EXPECT_EQ(exitCode({withResult("error", ErrorKind::kInput), withResult("error", ErrorKind::kInternal)}), 3);
  EXPECT_EQ(exitCode({withResult("error", ErrorKind::kNone)}), 3);
  EXPECT_EQ(exitCode({withResult("")}), 3);  // never decided: a bug, not a pass
}

TEST(ExitCode, XfailCountsAsPass) {
  Report r = withChecks({false});
  r.expectedFailure = "known";
  decideResult(r);
  EXPECT_EQ(exitCode({r}), 0);
}

}  // namespace
}  // namespace dlsim
