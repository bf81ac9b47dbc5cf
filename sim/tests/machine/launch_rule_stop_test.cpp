// A launch instruction's handler breaking a strict launch rule on a running
// machine (cpu_model/launch_rule_stop.h): in mode "stop" the run ends at the
// instruction with stop reason "launch-rule" naming the rule; in mode
// "hardware" the handler's fault reaches the guest; either way the
// observation and the JSON and text reports list the rule.
#include <capstone/capstone.h>
#include <gtest/gtest.h>

#include "cpu_model/launch_rule_stop.h"
#include "cpu_model/special_instructions.h"
#include "sim/report/json_report.h"
#include "sim/report/text_report.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim::test {
namespace {

const LaunchRule kRule{"test.getsec.always", "SDM vol. 2D GETSEC test #GP(0)", "never holds"};

GuestRun runGetsec(RuleMode mode) {
  Machine m(smallMachine());
  LaunchRuleModes modes;
  modes.modes[kRule.id] = mode;
  m.launchRules().configure(modes);
  m.specialInstructions().add(X86_INS_GETSEC, "test", [&m](Cpu& cpu, const DecodedInsn&) {
    if (breakRule(cpu, m.launchRules(), kRule, "EAX = 0x4")) return InsnOutcome::Stop;
    return InsnOutcome::RaiseGP;
  });
  loadAndBoot(m, assemble("bits 32\norg 0x100000\nnop\nmov eax, 4\ngetsec\nhlt\n"), kMainRam, EntryMode::Protected);
  return runToStop(m);
}

TEST(LaunchRuleStop, StopModeEndsTheRunAtTheInstruction) {
  GuestRun r = runGetsec(RuleMode::Stop);
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_EQ(r.stop.cpu, 0);
  EXPECT_EQ(r.stop.address, 0x100006u);  // nop (1) + mov eax, imm32 (5)
  EXPECT_EQ(r.stop.detail, "test.getsec.always (SDM vol. 2D GETSEC test #GP(0)): never holds; EAX = 0x4");
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].mode, RuleMode::Stop);
  EXPECT_EQ(r.obs.brokenRules[0].address, 0x100006u);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rip"), 0x100006u);  // GETSEC did not retire
}

TEST(LaunchRuleStop, HardwareModeDeliversTheFault) {
  GuestRun r = runGetsec(RuleMode::Hardware);
  // No IDT: the #GP becomes a triple fault, its chain starting at GETSEC.
  EXPECT_EQ(r.stop.reason, "triple-fault");
  ASSERT_FALSE(r.obs.cpus[0].exceptionChain.empty());
  EXPECT_EQ(r.obs.cpus[0].exceptionChain[0].rfind("#GP(0x0) at 0x100006", 0), 0u) << r.obs.cpus[0].exceptionChain[0];
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, "test.getsec.always");
  EXPECT_EQ(r.obs.brokenRules[0].mode, RuleMode::Hardware);
  EXPECT_EQ(r.obs.brokenRules[0].cpu, 0);
}

TEST(LaunchRuleStop, ReportsListBrokenRules) {
  Report rep;
  rep.scenarioName = "rules";
  rep.result = run_result::kFail;
  rep.obs = runGetsec(RuleMode::Stop).obs;
  nlohmann::json j = runToJson(rep);
  ASSERT_EQ(j["broken_launch_rules"].size(), 1u);
  const auto& b = j["broken_launch_rules"][0];
  EXPECT_EQ(b["id"], "test.getsec.always");
  EXPECT_EQ(b["reference"], "SDM vol. 2D GETSEC test #GP(0)");
  EXPECT_EQ(b["mode"], "stop");
  EXPECT_EQ(b["cpu"], 0);
  EXPECT_EQ(b["address"], "0x100006");
  EXPECT_EQ(b["detail"], "EAX = 0x4");
  EXPECT_NE(writeTextReport(rep).find("  broken launch rule test.getsec.always (SDM vol. 2D GETSEC test #GP(0), stop) "
                                      "on cpu 0 at 0x100006: EAX = 0x4\n"),
            std::string::npos)
      << writeTextReport(rep);
}

}  // namespace
}  // namespace dlsim::test
