// A launch instruction's handler reporting a broken strict launch rule
// (sim/launch_rules.h) for the CPU executing it:
//
//   if (breakRule(cpu, rules, kFeatureControlLocked, "IA32_FEATURE_CONTROL = 0x0"))
//     return InsnOutcome::Stop;        // mode "stop": the run ends here
//   return InsnOutcome::RaiseGP;       // mode "hardware": what the CPU does
#pragma once
#include <string>

#include "sim/launch_rules.h"

namespace dlsim {

class Cpu;

// Records the rule as broken by `cpu` at its current instruction. In mode
// "stop" it also asks the machine to stop (reason "launch-rule", detail
// naming the rule and its reference) and returns true: the handler then
// returns InsnOutcome::Stop. In mode "hardware" it returns false.
bool breakRule(Cpu& cpu, LaunchRules& rules, const LaunchRule& rule, const std::string& detail);

}  // namespace dlsim
