// What platform models act through on the machine (machine.h): IPI
// filters, platform reset, INIT to all APs, waking a CPU at a given state,
// a stop asked for by a device.
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

void Machine::deliverIpi(int target, IpiKind kind, uint8_t vector) {
  switch (kind) {
    case IpiKind::Init:
      if (deliverInit(target)) lapics_->initReset(target);
      break;
    case IpiKind::Sipi: deliverSipi(target, vector); break;
    case IpiKind::Fixed: deliverFixed(target, vector); break;
    case IpiKind::Nmi: deliverNmi(target); break;
  }
}

void Machine::wakeCpu(int target, const ArchState& state) {
  cpus_.at(target)->wakeAt(state);
  preemptRunning();
}

void Machine::endRun(const std::string& reason, const std::string& detail, std::optional<ResetKind> resetKind) {
  RunExit e;
  e.kind = RunExit::MachineStop;
  e.reset = resetKind;
  if (running_) {
    e.stop = StopInfo{reason, running_->index(), running_->codeLinear(running_->ip()), detail};
    running_->requestStop(std::move(e));  // the first request of the CPU's quantum wins there
    return;
  }
  e.stop = StopInfo{reason, -1, 0, detail};
  if (!pendingEnd_) pendingEnd_ = std::move(e);
}

}  // namespace dlsim
