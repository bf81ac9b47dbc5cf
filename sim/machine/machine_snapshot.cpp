// Whole-machine snapshots: CPU contexts (Unicorn context + dlsim CPU state),
// guest RAM via RamSnapshot (restore copies back only the pages written
// since), every part in the snapshot registry (each bus device once, however
// many windows it is mapped at; the platform MSRs; whatever platform models
// registered), the bus's MMIO windows as mapped and enabled, virtual time,
// trace hash, the report's events (the platform's and the bus's unclaimed
// accesses), the DMA port's block record and the run-point actions'
// progress. One RAM snapshot is tracked at a time: restoring an older machine
// snapshot after a newer one was taken is refused.
#include <algorithm>
#include <tuple>

#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/snapshot/ram_snapshot.h"

namespace dlsim {

class Machine::Snapshot {
 public:
  std::vector<std::shared_ptr<Cpu::Saved>> cpus;
  SnapshotRegistry::Saved parts;
  std::vector<MmioWindow> windows;  // as mapped and enabled then
  uint64_t time = 0, traceHash = 0, intercepted = 0;
  size_t events = 0;
  std::vector<BrokenRule> brokenRules;
  uint64_t droppedEvents = 0;
  uint64_t blockedDma = 0;
  uint64_t unclaimed = 0;  // the bus's unclaimed accesses (report events)
  // The run-point actions (machine_triggers.cpp): which ran or fell due.
  std::vector<bool> timedDone;
  std::vector<std::pair<int, bool>> addressState;  // reachedBy, done
  bool addressActionDue = false;
};

// Bus devices join the registry the first time a snapshot sees them mapped
// and stay (a device unmapped later keeps its place, so a restore finds the
// same parts).
void Machine::registerBusDevices() {
  for (const auto& w : bus_.mmioWindows()) snapshotParts_.addDevice(*w.device);
  for (const auto& p : bus_.portRanges()) snapshotParts_.addDevice(*p.device);
}

std::shared_ptr<Machine::Snapshot> Machine::snapshot() {
  start();
  auto s = std::make_shared<Snapshot>();
  for (auto& c : cpus_) s->cpus.push_back(c->save());
  registerBusDevices();
  s->parts = snapshotParts_.save();
  s->windows = bus_.mmioWindows();
  s->time = platform_.time;
  s->traceHash = platform_.traceHash;
  s->intercepted = platform_.intercepted;
  s->events = platform_.events.size();
  s->brokenRules = launchRules_.brokenRules();
  s->droppedEvents = platform_.droppedEvents;
  s->blockedDma = dma_.blockedCount();
  s->unclaimed = bus_.unclaimedCount();
  for (const TimedAction& t : timedActions_) s->timedDone.push_back(t.done);
  for (const AddressAction& a : addressActions_) s->addressState.emplace_back(a.reachedBy, a.done);
  s->addressActionDue = addressActionDue_;
  if (!ramSnapshot_) ramSnapshot_ = std::make_unique<RamSnapshot>(memory_);
  ramSnapshot_->take();
  ramSnapshotOwner_ = s.get();
  return s;
}

void Machine::restore(const Snapshot& s) {
  if (ramSnapshotOwner_ != &s || !ramSnapshot_)
    throw InternalError("machine snapshot restore: only the most recent snapshot can be restored");
  registerBusDevices();
  snapshotParts_.check(s.parts);  // before anything changes
  for (const auto& r : ramSnapshot_->restore()) {
    for (auto& c : cpus_) c->invalidateCode(r.gpa, r.size);
  }
  for (size_t i = 0; i < cpus_.size(); ++i) cpus_[i]->restore(*s.cpus[i]);
  bus_.restoreMmioWindows(s.windows);
  snapshotParts_.restore(s.parts);
  platform_.time = s.time;
  platform_.traceHash = s.traceHash;
  platform_.intercepted = s.intercepted;
  platform_.events.resize(s.events);
  launchRules_.restoreBroken(s.brokenRules);
  platform_.droppedEvents = s.droppedEvents;
  dma_.restoreBlockedCount(s.blockedDma);
  bus_.restoreUnclaimedCount(s.unclaimed);
  // Actions added after the snapshot stay as they are.
  for (size_t i = 0; i < s.timedDone.size() && i < timedActions_.size(); ++i) timedActions_[i].done = s.timedDone[i];
  for (size_t i = 0; i < s.addressState.size() && i < addressActions_.size(); ++i)
    std::tie(addressActions_[i].reachedBy, addressActions_[i].done) = s.addressState[i];
  addressActionDue_ = s.addressActionDue;
  nextDeadline_ = ~0ull;
  for (const TimedAction& t : timedActions_)
    if (!t.done) nextDeadline_ = std::min(nextDeadline_, t.at);
}

}  // namespace dlsim
