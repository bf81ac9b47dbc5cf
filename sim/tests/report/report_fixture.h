// A decided Report built from the shared hand-made Observation.
#pragma once
#include "sim/report/report.h"
#include "sim/tests/checks/observation_fixture.h"

namespace dlsim::testing {

inline Report makeReport(const std::string& name, std::vector<CheckResult> checks) {
  Report r;
  r.scenarioName = name;
  r.scenarioFile = "scenarios/" + name + ".json";
  r.obs = makeObservation(std::make_shared<FakeRam>());
  r.checks = std::move(checks);
  r.hostSeconds = 1.25;
  decideResult(r);
  return r;
}

}  // namespace dlsim::testing
