// Host-time probes (see host_probe.h).
#include "sim/host_probe.h"

#include <time.h>

namespace dlsim {

uint64_t host_probe::nowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

void HostProbeRecorder::enter() {
  ++scopes;
  open_.push_back({host_probe::nowNs(), 0});
}

void HostProbeRecorder::leave(std::string_view area, std::string_view name) {
  const uint64_t now = host_probe::nowNs();
  if (open_.empty()) return;  // installed inside an open scope: not counted
  const Open o = open_.back();
  open_.pop_back();
  const uint64_t total = now - o.startNs;
  if (!open_.empty()) open_.back().childNs += total;
  std::string key;
  key.reserve(area.size() + 1 + name.size());
  key.append(area).append("/").append(name);
  auto it = figures.find(key);
  if (it == figures.end()) it = figures.emplace(std::move(key), HostProbeFigure{}).first;
  HostProbeFigure& f = it->second;
  ++f.count;
  f.totalNs += total;
  f.selfNs += total > o.childNs ? total - o.childNs : 0;

}

}  // namespace dlsim
