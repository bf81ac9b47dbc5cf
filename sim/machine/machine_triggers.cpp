// Actions at points of a run (scenario DMA steps and the like): at a virtual
// time, or when a CPU reaches an address. Timed actions cap each quantum's
// stop time, address actions ride on one-address code hooks
// (CpuPlatform::triggerAddresses); neither adds work to the block path.
#include <algorithm>

#include "sim/errors.h"
#include "sim/machine/machine.h"

namespace dlsim {

void Machine::atInstructions(uint64_t instructions, std::function<void()> action) {
  timedActions_.push_back({instructions, std::move(action), false});
  nextDeadline_ = std::min(nextDeadline_, instructions);
}

void Machine::atAddress(uint64_t address, std::optional<int> cpu, std::function<void(int)> action) {
  if (started()) throw InternalError("Machine::atAddress after the CPUs started");
  addressActions_.push_back({address, cpu, std::move(action), -1, false});
  bool known = false;
  for (uint64_t a : platform_.triggerAddresses) known = known || a == address;
  if (!known) platform_.triggerAddresses.push_back(address);
  platform_.codeTrigger = [this](int c, uint64_t a) { return codeTrigger(c, a); };
}

// Called from the CPU's hook at `address`: marks the actions it meets as due;
// true ends the CPU's quantum before the instruction there.
bool Machine::codeTrigger(int cpu, uint64_t address) {
  bool due = false;
  for (AddressAction& a : addressActions_) {
    if (a.done || a.reachedBy >= 0 || a.address != address || (a.cpu && *a.cpu != cpu)) continue;
    a.reachedBy = cpu;
    due = true;
  }
  addressActionDue_ = addressActionDue_ || due;
  return due;
}

void Machine::runDueActions() {
  // In the order added, timed and address actions each; an action may add
  // others (they run when due, at the latest on the next call).
  for (size_t i = 0; i < timedActions_.size(); ++i) {
    if (timedActions_[i].done || platform_.time < timedActions_[i].at) continue;
    timedActions_[i].done = true;
    auto action = timedActions_[i].action;  // a copy: the action may add actions
    action();
  }
  if (addressActionDue_) {
    addressActionDue_ = false;
    for (size_t i = 0; i < addressActions_.size(); ++i) {
      if (addressActions_[i].done || addressActions_[i].reachedBy < 0) continue;
      addressActions_[i].done = true;
      auto action = addressActions_[i].action;
      action(addressActions_[i].reachedBy);
    }
  }
  nextDeadline_ = ~0ull;
  for (const TimedAction& t : timedActions_)
    if (!t.done) nextDeadline_ = std::min(nextDeadline_, t.at);
}

}  // namespace dlsim
