// The host-probe breakdown of a launch (see launch_probes.h).
#include "bench/launch_probes.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace dlsim::bench {

nlohmann::json printProbeBreakdown(const HostProbeRecorder& probes, const std::string& title, double spanWallUs) {
  std::vector<std::pair<std::string, HostProbeFigure>> rows(probes.figures.begin(), probes.figures.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.selfNs > b.second.selfNs; });
  nlohmann::json out = nlohmann::json::array();
  double selfSum = 0;
  std::printf("\n%s (%.1f us wall; %llu probed scopes)\n", title.c_str(), spanWallUs,
              (unsigned long long)probes.scopes);
  std::printf("%-34s %8s %10s %10s\n", "probe (wall)", "count", "self us", "total us");
  for (const auto& [key, f] : rows) {
    std::printf("%-34s %8llu %10.1f %10.1f\n", key.c_str(), (unsigned long long)f.count, f.selfNs / 1e3,
                f.totalNs / 1e3);
    selfSum += f.selfNs / 1e3;
    out.push_back({{"probe", key}, {"count", f.count}, {"self_ns", f.selfNs}, {"total_ns", f.totalNs}});
  }
  std::printf("%-34s %8s %10.1f\n", "the rest (guest code, translation)", "", std::max(0.0, spanWallUs - selfSum));
  return out;
}

}  // namespace dlsim::bench
