// What the CPUs of one machine share: memory, bus, MSR and instruction
// registries, CPUID, the interrupt controller, virtual time and the trace
// hash. Owned by the machine; each Cpu holds a reference.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cpu_model/cpuid_profile.h"
#include "cpu_model/msr_registry.h"
#include "cpu_model/special_instructions.h"
#include "sim/bus.h"
#include "sim/guest_memory.h"

namespace dlsim {

// Pending fixed interrupts (the local APICs implement this).
class InterruptController {
 public:
  virtual ~InterruptController() = default;
  // Highest-priority deliverable vector for `cpu`, or -1.
  virtual int pendingVector(int cpu) = 0;
  // The CPU takes the vector (IRR -> ISR).
  virtual void acceptInterrupt(int cpu, int vector) = 0;
};

// Called with every executed basic block when tracing is on.
using BlockTraceFn = std::function<void(int cpu, uint64_t address, uint32_t size)>;

class CodePageWatch;

struct CpuPlatform {
  GuestMemory* memory = nullptr;
  // Code coherence between CPUs (sim/snapshot/code_page_watch.h); may be null.
  CodePageWatch* codeWatch = nullptr;
  Bus* bus = nullptr;
  MsrRegistry* msrs = nullptr;
  const CpuidProfile* cpuid = nullptr;
  const SpecialInstructionRegistry* special = nullptr;
  InterruptController* interrupts = nullptr;
  int cpuCount = 1;
  uint64_t seed = 0;

  // Virtual time: instructions retired by all CPUs together. RDTSC reads it.
  uint64_t time = 0;
  // Running hash of (cpu, block address) in execution order.
  uint64_t traceHash = 0xcbf29ce484222325ull;
  // Stop when a CPU reaches this linear address (scenario "stop.at").
  std::optional<uint64_t> stopAt;
  std::optional<int> stopAtCpu;
  // Linear addresses where the machine acts before a CPU runs the
  // instruction there (scenario steps "when a CPU reaches an address"). Set
  // before the CPUs start: each gets a one-address code hook, so no block
  // pays for them. When a CPU reaches one, `codeTrigger(cpu, address)` is
  // asked; when it returns true the CPU ends its quantum before that
  // instruction (which then runs when the CPU runs next) and the machine
  // acts between quanta.
  std::vector<uint64_t> triggerAddresses;
  std::function<bool(int cpu, uint64_t address)> codeTrigger;
  BlockTraceFn blockTrace;
  // Instructions dlsim emulated itself (for the benchmark's per-intercept cost).
  uint64_t intercepted = 0;

  // Notable events for the report, in order (bounded).
  std::vector<std::string> events;
  uint64_t droppedEvents = 0;
  void event(std::string text) {
    if (events.size() < 1000) events.push_back(std::move(text));
    else ++droppedEvents;
  }
};

// Folds one value into a trace hash (64-bit multiply-xor; order sensitive).
// The odd multiplier fits a sign-extended 32-bit immediate, so the block
// hook's fold is one multiply from memory and one xor.
inline uint64_t foldTrace(uint64_t h, uint64_t v) { return (h * 0xffffffff9e3779b1ull) ^ v; }

}  // namespace dlsim
