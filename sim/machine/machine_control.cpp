// What platform models act through on the machine (machine.h): IPI
// filters, platform reset, INIT to all APs, waking a CPU at a given state.
#include "sim/machine/machine.h"

namespace dlsim {

bool Machine::ipiAllowed(int target, IpiKind kind, uint8_t vector) {
  for (const IpiFilter& f : ipiFilters_)
    if (!f(target, kind, vector)) return false;
  return true;
}

void Machine::reset(ResetKind kind) {
  start();
  for (auto& c : cpus_) {
    c->powerOnReset(c->index() == 0);
    lapics_->initReset(c->index());
  }
  for (const auto& hook : resetHooks_) hook(kind);
  preemptRunning();
}

void Machine::initAllAps() {
  for (int i = 1; i < config_.cpus; ++i) {
    if (!ipiAllowed(i, IpiKind::Init, 0)) continue;
    lapics_->initReset(i);
    cpus_.at(i)->init();
  }
  preemptRunning();
}

void Machine::wakeCpu(int target, const ArchState& state) {
  cpus_.at(target)->wakeAt(state);
  preemptRunning();
}

}  // namespace dlsim
