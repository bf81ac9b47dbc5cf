// The instructions and MSRs every dlsim CPU emulates itself, whatever the
// vendor model: time (RDTSC/RDTSCP, IA32_TSC), MSR access, HLT/PAUSE/
// MONITOR/MWAIT (so the scheduler sees sleeping CPUs), and RDRAND/RDSEED from
// the scenario seed (never host randomness); MOVBE and the BMI1/ABM/POPCNT
// bit instructions (bit_instructions.h), which Unicorn's CPU lacks.
#pragma once
#include <vector>

namespace dlsim {

class Cpu;
class MsrRegistry;
class SpecialInstructionRegistry;
class SnapshotRegistry;

void registerPlatformInstructions(SpecialInstructionRegistry& registry);
// Registers IA32_TSC, IA32_TSC_AUX and the few identification MSRs early boot
// code reads. `cpus` is indexed by CPU number. The values they keep (TSC
// offsets, TSC_AUX, IA32_MISC_ENABLE) join machine snapshots through `snapshots`.
void registerPlatformMsrs(MsrRegistry& msrs, const std::vector<Cpu*>& cpus, SnapshotRegistry& snapshots);

}  // namespace dlsim
