// The deterministic scheduler: one host thread, CPUs in index order, each
// for a quantum of basic blocks. Sleeping CPUs are skipped until something
// wakes them (an interrupt, a write to the monitored line, INIT/SIPI). When
// no CPU can run and nothing can wake one, the machine stops.
#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/machine/machine.h"

namespace dlsim {

void Machine::wakeSleepers(int i) {
  Cpu& c = *cpus_[i];
  switch (c.state()) {
    case CpuState::Mwait:
      if (c.monitorTriggered() || (lapics_->pendingVector(i) >= 0 && c.gif())) c.wake();
      break;
    case CpuState::Halted:
      if (lapics_->pendingVector(i) >= 0 && c.gif() && (c.reg(Reg::Rflags) & (1u << 9))) c.wake();
      break;
    case CpuState::ModelSleep:
      c.modelWakeDue();  // the model's condition wakes the CPU itself
      break;
    default:
      break;
  }
}

StopInfo Machine::run(std::optional<uint64_t> maxInstructions, const ProgressFn& progress) {
  start();
  const uint64_t budget = maxInstructions.value_or(config_.maxInstructions);
  uint64_t nextProgress = platform_.time + 50000000;
  while (true) {
    if (pendingEnd_) {  // a device ended the run outside any CPU's quantum (ModelHost::endRun)
      RunExit e = std::move(*pendingEnd_);
      pendingEnd_.reset();
      if (e.reset) reset(*e.reset);
      return e.stop;
    }
    if (actionsDue()) runDueActions();
    if (platform_.time >= budget) {
      return StopInfo{stop_reason::kInstructionLimit, -1, 0,
                      "the instruction budget of " + std::to_string(budget) + " instructions is used up"};
    }
    bool anyRan = false;
    for (int i = 0; i < config_.cpus; ++i) wakeSleepers(i);
    for (int i = 0; i < config_.cpus; ++i) {
      wakeSleepers(i);
      Cpu& c = *cpus_[i];
      if (c.state() != CpuState::Running) continue;
      // A CPU running alone gets long quanta (ending a quantum costs a block
      // re-translation); an IPI to another CPU ends it early (see deliver*).
      int runnable = 0;
      for (auto& other : cpus_) runnable += other->state() == CpuState::Running;
      const uint64_t quantum = runnable > 1 ? config_.quantumBlocks : kSoloQuantumBlocks;
      running_ = &c;
      // A pending timed action (machine_triggers.cpp) ends the quantum at its time.
      RunExit exit = c.run(quantum, std::min(budget, nextDeadline_));
      running_ = nullptr;
      anyRan = true;
      if (exit.kind == RunExit::MachineStop) {
        if (exit.reset) reset(*exit.reset);
        return exit.stop;
      }
      if (actionsDue()) runDueActions();
      if (platform_.time >= budget) break;
    }
    if (progress && platform_.time >= nextProgress) {
      progress(platform_.time);
      nextProgress = platform_.time + 50000000;
    }
    if (!anyRan) {
      // Nothing ran and, with no timers modelled, nothing will wake a CPU.
      bool anyPending = false;
      for (int i = 0; i < config_.cpus; ++i) {
        wakeSleepers(i);
        anyPending = anyPending || cpus_[i]->state() == CpuState::Running;
      }
      if (anyPending) continue;
      int cpu = -1;
      uint64_t at = 0;
      for (auto& c : cpus_) {
        if (c->state() == CpuState::Halted || c->state() == CpuState::Mwait) {
          cpu = c->index();
          at = c->codeLinear(c->ip());
          break;
        }
      }
      return StopInfo{stop_reason::kAllHalted, cpu, at,
                      "every CPU is halted, waiting or shut down and nothing can wake one"};
    }
  }
}

}  // namespace dlsim
