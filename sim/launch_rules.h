// Strict launch rules: every precondition a launch instruction or its
// authenticated code checks (GETSEC's leaves, SINIT, SKINIT...) is a named
// rule with its spec reference. A scenario chooses per rule what breaking it
// does: "hardware" (what the real platform does: the model raises #GP/#UD or
// resets the platform) or "stop" (the run ends at once with stop reason
// "launch-rule", naming the rule, its reference, the CPU and the instruction
// address). Every broken rule is recorded for the report whatever the mode.
//
// Models declare their rules as static LaunchRule objects (PlatformModel::
// launchRules() lists them, so a scenario naming an unknown rule is refused)
// and report a broken one through LaunchRules::broken (or, at CPU level,
// cpu_model/launch_rule_stop.h). The machine owns one LaunchRules per run
// (ModelHost::launchRules()).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dlsim {

struct LaunchRule {
  const char* id;         // dotted, stable: "getsec.senter.feature-control-locked"
  const char* reference;  // "SDM vol. 2D GETSEC[SENTER] #GP(0)"
  const char* summary;    // one line: what must hold
};

enum class RuleMode { Hardware, Stop };
const char* ruleModeName(RuleMode m);                      // "hardware" | "stop"
std::optional<RuleMode> ruleModeFromName(const std::string& name);

// A broken rule as the report shows it.
struct BrokenRule {
  std::string id, reference, summary;
  RuleMode mode = RuleMode::Hardware;  // what it did
  int cpu = -1;                        // the CPU that broke it (-1: none, e.g. a device)
  uint64_t address = 0;                // that CPU's instruction (linear)
  std::string detail;                  // the values that broke it, e.g. "IA32_FEATURE_CONTROL = 0x0"
};

// The per-scenario choice: a default mode and per-rule overrides.
struct LaunchRuleModes {
  RuleMode defaultMode = RuleMode::Hardware;  // what a real platform does, unless asked otherwise
  std::map<std::string, RuleMode> modes;      // rule id -> mode
};

class LaunchRules {
 public:
  void configure(LaunchRuleModes modes) { modes_ = std::move(modes); }
  RuleMode modeOf(const std::string& id) const;
  // Records the broken rule and returns what the caller must do: Hardware
  // (raise the fault / reset as the platform does) or Stop (end the run).
  RuleMode broken(const LaunchRule& rule, int cpu, uint64_t address, const std::string& detail);
  const std::vector<BrokenRule>& brokenRules() const { return broken_; }
  // Machine snapshots put the list back as it was.
  void restoreBroken(std::vector<BrokenRule> broken) { broken_ = std::move(broken); }

  // The stop detail of a rule whose mode is "stop": "ID (REFERENCE): SUMMARY; DETAIL".
  static std::string stopDetail(const LaunchRule& rule, const std::string& detail);

 private:
  LaunchRuleModes modes_;
  std::vector<BrokenRule> broken_;
};

}  // namespace dlsim
