// Peak resident memory of dlsim running a guest, measured in a fresh child
// process (this program re-executed with --rss-child) so that nothing the
// other measurements allocated counts: the goal is a 4-CPU machine with 4 GiB
// of RAM whose guest touches 16 MiB staying below 256 MiB resident.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_guest.h"

namespace dlsim {

struct RssProbeResult {
  std::string guest;
  int cpus = 0;
  uint64_t ramBytes = 0;           // guest RAM configured
  uint64_t peakRssBytes = 0;       // the child's ru_maxrss (wait4), whole process
  uint64_t baselineRssBytes = 0;   // the child's VmRSS before it built the machine
  uint64_t guestResidentBytes = 0; // GuestMemory::residentBytes() after the run
  std::vector<std::string> problems;  // child failed, wrong result
};

// Runs `exe --rss-child <guest name> --guest-dir <dir>` and waits for it.
// The guest's result (printed by the child) is compared with g.expectedResult.
RssProbeResult probePeakRss(const std::string& exe, const std::string& guestDir, const BenchGuest& g);

// The child's side: builds a machine with 4 CPUs (3 in MWAIT) and the 4 GiB
// RAM layout (fourGibRamLayout()), runs g to its HLT and prints one line of
// JSON (result, baseline_rss_bytes, guest_resident_bytes, cpus, ram_bytes) on
// stdout. Returns the process exit status.
int rssChildMain(const BenchGuest& g);

}  // namespace dlsim
