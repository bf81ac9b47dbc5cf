// The host-probe breakdown the launch benches print (dlsim-skinit-bench,
// dlsim-skl-bench): one launch run with a HostProbeRecorder (sim/host_probe.h)
// installed, its figures sorted by self time, and the rest of the span
// (guest code, Unicorn's translation, the scheduler).
#pragma once
#include <nlohmann/json.hpp>

#include <string>

#include "sim/host_probe.h"

namespace dlsim::bench {

// Prints the table under `title` and returns its rows as JSON.
nlohmann::json printProbeBreakdown(const HostProbeRecorder& probes, const std::string& title, double spanWallUs);

}  // namespace dlsim::bench
