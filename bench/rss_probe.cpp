// Peak-RSS probe in a child process (see rss_probe.h).
#include "bench/rss_probe.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/bench_machine.h"
#include "sim/errors.h"

namespace dlsim {

namespace {

constexpr int kCpus = 4;

// VmRSS of this process in bytes (from /proc/self/status), 0 if unreadable.
uint64_t currentRssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  return 0;
}

uint64_t totalBytes(const std::vector<RamSpec>& ram) {
  uint64_t n = 0;
  for (const auto& r : ram) n += r.size;
  return n;
}

}  // namespace

int rssChildMain(const BenchGuest& g) {
  const uint64_t baseline = currentRssBytes();
  const std::vector<RamSpec> ram = fourGibRamLayout();
  std::unique_ptr<Machine> m = makeBenchMachine(g, kCpus, true, ram);
  const StopInfo stop = m->run();
  checkBenchRunEnd(*m, g, stop, true);
  nlohmann::json j;
  j["result"] = benchHex(benchMachineResult(*m));
  j["baseline_rss_bytes"] = baseline;
  j["guest_resident_bytes"] = m->memory().residentBytes();
  j["cpus"] = kCpus;
  j["ram_bytes"] = totalBytes(ram);
  std::cout << j.dump() << "\n";
  std::cout.flush();
  return 0;
}

RssProbeResult probePeakRss(const std::string& exe, const std::string& guestDir, const BenchGuest& g) {
  RssProbeResult out;
  out.guest = g.name;
  out.cpus = kCpus;
  out.ramBytes = totalBytes(fourGibRamLayout());
  int fds[2];
  if (pipe(fds) != 0) throw InternalError(std::string("rss probe: pipe: ") + std::strerror(errno));
  std::cout.flush();
  const pid_t pid = fork();
  if (pid < 0) throw InternalError(std::string("rss probe: fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execl(exe.c_str(), exe.c_str(), "--rss-child", g.name.c_str(), "--guest-dir", guestDir.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  rusage ru{};
  while (wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) throw InternalError(std::string("rss probe: wait4: ") + std::strerror(errno));
  out.peakRssBytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    out.problems.push_back("peak-RSS child (" + exe + " --rss-child " + g.name + ") failed with status " +
                           std::to_string(status));
    return out;
  }
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("result") || !j["result"].is_string()) {
    out.problems.push_back("peak-RSS child printed no result: '" + text + "'");
    return out;
  }
  out.baselineRssBytes = j.value("baseline_rss_bytes", uint64_t{0});
  out.guestResidentBytes = j.value("guest_resident_bytes", uint64_t{0});
  const std::string got = j["result"].get<std::string>();
  if (got != benchHex(g.expectedResult))
    out.problems.push_back("peak-RSS child result " + got + " != reference " + benchHex(g.expectedResult));
  return out;
}

}  // namespace dlsim
