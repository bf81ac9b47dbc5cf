#include "sim/launch_rules.h"

namespace dlsim {

const char* ruleModeName(RuleMode m) { return m == RuleMode::Stop ? "stop" : "hardware"; }

std::optional<RuleMode> ruleModeFromName(const std::string& name) {
  if (name == "hardware") return RuleMode::Hardware;
  if (name == "stop") return RuleMode::Stop;
  return std::nullopt;
}

RuleMode LaunchRules::modeOf(const std::string& id) const {
  auto it = modes_.modes.find(id);
  return it == modes_.modes.end() ? modes_.defaultMode : it->second;
}

RuleMode LaunchRules::broken(const LaunchRule& rule, int cpu, uint64_t address, const std::string& detail) {
  const RuleMode mode = modeOf(rule.id);
  broken_.push_back(BrokenRule{rule.id, rule.reference, rule.summary, mode, cpu, address, detail});
  return mode;
}

std::string LaunchRules::stopDetail(const LaunchRule& rule, const std::string& detail) {
  std::string s = std::string(rule.id) + " (" + rule.reference + "): " + rule.summary;
  if (!detail.empty()) s += "; " + detail;
  return s;
}

}  // namespace dlsim
