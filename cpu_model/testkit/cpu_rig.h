// A CPU test kit: one CPU with RAM, a bus, the MSR and special-instruction
// registries, a CPUID profile and the platform's own instructions (RDTSC,
// RDMSR/WRMSR, HLT, MONITOR/MWAIT...), without the machine, its scheduler or
// any device. cpu_model and the launch models (txt_model, svm_model) test at
// CPU level with it: register devices, MSRs and instruction handlers, load
// code (assemble.h), set the entry state and run.
//
//   dlsim::test::CpuRig rig;
//   rig.special().add(X86_INS_GETSEC, "txt", handler);
//   rig.load(0x100000, dlsim::test::assemble("bits 32\norg 0x100000\ngetsec\nhlt\n"));
//   rig.cpu().setArchState(dlsim::test::CpuRig::flat32(0x100000));
//   dlsim::RunExit e = rig.run();
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cpu_model/arch_state.h"
#include "cpu_model/cpu.h"
#include "cpu_model/cpu_platform.h"
#include "cpu_model/cpuid_profile.h"
#include "cpu_model/msr_registry.h"
#include "cpu_model/special_instructions.h"
#include "sim/bus.h"
#include "sim/guest_memory.h"
#include "sim/snapshot/snapshot_registry.h"

namespace dlsim {
class CodePageWatch;
}

namespace dlsim::test {

struct RigOptions {
  // RAM regions [base, base + size).
  std::vector<std::pair<uint64_t, uint64_t>> ram{{0, 0xa0000}, {0x100000, 0x1000000}};
  CpuidConfig cpuid;
  uint64_t seed = 0;
};

class CpuRig {
 public:
  explicit CpuRig(const RigOptions& options = {});
  ~CpuRig();
  CpuRig(const CpuRig&) = delete;
  CpuRig& operator=(const CpuRig&) = delete;

  GuestMemory& memory() { return memory_; }
  Bus& bus() { return bus_; }
  MsrRegistry& msrs() { return msrs_; }
  SpecialInstructionRegistry& special() { return special_; }
  CpuPlatform& platform() { return platform_; }
  // The CPU, created on first use: map devices on bus() before (its engines
  // map the windows that exist then).
  Cpu& cpu();

  // Copies `bytes` to guest-physical `gpa` (throws when not in RAM).
  void load(uint64_t gpa, const std::vector<uint8_t>& bytes);
  // Runs the CPU until it sleeps (HLT, MWAIT...), the machine would stop,
  // or `maxInstructions` more instructions have retired.
  RunExit run(uint64_t maxInstructions = 1000000);

  // Entry states: flat 32-bit protected mode (CS 0x08, data 0x10, no GDT
  // needed) and real mode at cs:ip.
  static ArchState flat32(uint64_t entry);
  static ArchState realMode(uint16_t cs, uint16_t ip);

 private:
  GuestMemory memory_;
  Bus bus_;
  MsrRegistry msrs_;
  SnapshotRegistry snapshotParts_;  // the platform MSRs register their state here
  SpecialInstructionRegistry special_;
  CpuidProfile cpuid_;
  CpuPlatform platform_;
  std::unique_ptr<CodePageWatch> watch_;
  std::unique_ptr<Cpu> cpu_;
};

}  // namespace dlsim::test
