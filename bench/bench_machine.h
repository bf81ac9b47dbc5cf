// Builds a dlsim Machine holding one benchmark guest, ready to run: shared by
// the speed runner (dlsim_runner.cpp), the snapshot-restore measurement and
// the peak-RSS probe, so all three run the guest the same way.
#pragma once
#include <memory>
#include <vector>

#include "bench/bench_guest.h"
#include "sim/machine/machine.h"

namespace dlsim {

// RAM below the local APIC window (0xFEE00000) and 1 GiB above 4 GiB: the
// 4 GiB layout of the peak-RSS goal.
std::vector<RamSpec> fourGibRamLayout();

// A machine with `cpus` CPUs and the given RAM (default: [0, g.ramBytes)
// rounded up to 1 MiB), g.flatImage at g.loadAddr, CPU 0 booted at g.entry in
// 32-bit flat protected mode. If otherCpusInMwait, CPUs 1..cpus-1 are started
// in a real-mode loop that MONITORs a line nobody writes and MWAITs on it;
// otherwise they wait for a SIPI. Throws InputError when the image does not
// fit in RAM.
std::unique_ptr<Machine> makeBenchMachine(const BenchGuest& g, int cpus, bool otherCpusInMwait,
                                          std::vector<RamSpec> ram = {});

// Throws InternalError unless the run ended with every CPU asleep, CPU 0
// halted and (if otherCpusInMwait) CPUs 1.. still in MWAIT.
void checkBenchRunEnd(Machine& m, const BenchGuest& g, const StopInfo& stop, bool otherCpusInMwait);

// The result block the guest left in RAM (parseResultBlock), empty if none.
std::vector<uint8_t> benchMachineResult(Machine& m);

}  // namespace dlsim
