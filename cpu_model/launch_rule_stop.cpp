#include "cpu_model/launch_rule_stop.h"

#include "cpu_model/cpu.h"
#include "sim/observation.h"

namespace dlsim {

bool breakRule(Cpu& cpu, LaunchRules& rules, const LaunchRule& rule, const std::string& detail) {
  const RuleMode mode = rules.broken(rule, cpu.index(), cpu.codeLinear(cpu.ip()), detail);
  if (mode != RuleMode::Stop) return false;
  cpu.stopMachine(stop_reason::kLaunchRule, LaunchRules::stopDetail(rule, detail));
  return true;
}

}  // namespace dlsim
