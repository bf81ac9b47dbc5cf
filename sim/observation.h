// What one run of the machine leaves behind for checks and reports: the stop,
// every CPU's final state, captured output, and read access to guest memory.
// Produced by the runner, consumed by sim/checks and sim/report.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/launch_rules.h"

namespace dlsim {

// Why the machine stopped. The names are part of the scenario and report
// format; keep them stable.
namespace stop_reason {
inline constexpr const char* kAllHalted = "all-cpus-halted";        // every CPU halted / asleep with nothing to wake it
inline constexpr const char* kStopAddress = "stop-address";         // a CPU reached the scenario's stop address
inline constexpr const char* kTripleFault = "triple-fault";         // a CPU shut down
inline constexpr const char* kInstructionLimit = "instruction-limit";
inline constexpr const char* kUnmappedAccess = "unmapped-access";   // the guest touched an address that is neither RAM nor a device
inline constexpr const char* kGuestError = "guest-error";           // anything else the guest did that stops the platform
inline constexpr const char* kLaunchRule = "launch-rule";           // a strict launch rule in mode "stop" was broken (sim/launch_rules.h)
}  // namespace stop_reason

struct StopInfo {
  std::string reason;
  int cpu = -1;          // CPU that caused the stop, -1 when none did
  uint64_t address = 0;  // its instruction pointer (linear) at the stop
  std::string detail;    // one human sentence, e.g. "triple fault on CPU 1: #GP -> #GP -> #DF"
};

// A sleep a platform model puts CPUs in (Cpu::enterModelSleep) is reported
// by its name, which has this form so that scenarios can expect it without
// the core knowing the model: lower-case letters, digits and '-', starting
// with a letter, ending in "-sleep", at most 32 characters ("senter-sleep").
inline bool isModelSleepName(const std::string& s) {
  constexpr size_t kSuffix = 6;  // "-sleep"
  if (s.size() <= kSuffix || s.size() > 32 || s.compare(s.size() - kSuffix, kSuffix, "-sleep") != 0) return false;
  if (s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

struct CpuObservation {
  int id = 0;
  // "running", "halted", "wait-for-sipi", "mwait", "shutdown", or a model's
  // sleep (isModelSleepName).
  std::string state;
  uint64_t monitorAddress = 0;  // armed MONITOR address (meaningful in "mwait")
  bool monitorArmed = false;
  std::string mode;             // "real", "protected", "long"
  // Register name (lower case: rax..r15, rip, rflags, cr0, cr2, cr3, cr4, efer,
  // cs, ds, es, fs, gs, ss) -> value. 32-bit names (eax, eip, ...) are derived.
  std::map<std::string, uint64_t> registers;
  uint64_t instructions = 0;    // retired by this CPU
  std::vector<std::string> exceptionChain;  // e.g. {"#GP(0x0) at 0x1234", "#DF"} for a shutdown
};

// The CPU engine the run used. dlsim reads private offsets of one exact
// Unicorn build and uses the exit-check switch only there; any other build
// runs with Unicorn's own checks (slower, same results).
struct EngineObservation {
  std::string unicornVersion;   // uc_version, e.g. "2.1.1"
  std::string unicornBuildId;   // the library's GNU build ID (hex), "" if unreadable
  std::string unicornPackage;   // the pinned build's package, or "unknown"
  bool exitCheckSwitch = false;  // Unicorn's exit checks switched off where not needed
};

// What one scripted DMA step (scenario "dma") did.
namespace dma_result {
inline constexpr const char* kLanded = "landed";    // the access reached RAM
inline constexpr const char* kBlocked = "blocked";  // a DMA protection refused it (reads all ones, writes nothing)
inline constexpr const char* kNotRam = "not-ram";   // some byte is not RAM (master abort: reads all ones)
inline constexpr const char* kNotRun = "not-run";   // the run stopped before its moment came
}  // namespace dma_result

struct DmaStepObservation {
  size_t step = 0;          // index in the scenario's "dma"
  uint32_t requester = 0;
  bool write = false;
  uint64_t address = 0;     // guest physical
  uint64_t length = 0;
  std::string result;       // a dma_result name
  uint64_t instructions = 0;  // virtual time when it ran
  int cpu = -1;               // the CPU that reached the step's address (-1: a timed step, or not run)
  std::string protection;     // blocked: the protection that refused it
  std::string region;         // blocked: the range it named ("" when none)
  uint64_t regionBase = 0, regionSize = 0;
  std::vector<uint8_t> bytes;  // a read that ran: what the requester received
};

struct Observation {
  StopInfo stop;
  EngineObservation engine;
  uint64_t instructions = 0;  // retired by all CPUs
  std::string traceHash;      // hex
  std::vector<CpuObservation> cpus;
  std::map<std::string, std::string> serial;  // port name ("com1", "com2") -> text
  std::string vga;                            // VGA text buffer, rows joined by '\n', trailing blanks trimmed
  std::vector<std::string> events;            // notable platform events (unimplemented MSR, unclaimed I/O...) in order
  std::vector<BrokenRule> brokenRules;        // strict launch rules broken, in order (sim/launch_rules.h)
  std::vector<DmaStepObservation> dma;        // the scenario's DMA steps, in step order
  // Reads guest physical memory; false when any byte is not RAM.
  std::function<bool(uint64_t gpa, void* dst, size_t len)> readMemory;
};

}  // namespace dlsim
