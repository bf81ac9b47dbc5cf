// Whole-machine snapshots: CPU contexts (Unicorn context + dlsim CPU state),
// guest RAM via RamSnapshot (restore copies back only the pages written
// since), device state, virtual time, trace hash and events. One RAM
// snapshot is tracked at a time: restoring an older machine snapshot after a
// newer one was taken is refused.
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/snapshot/ram_snapshot.h"

namespace dlsim {

class Machine::Snapshot {
 public:
  std::vector<std::shared_ptr<Cpu::Saved>> cpus;
  std::vector<std::vector<uint8_t>> devices;
  std::vector<MmioWindow> windows;  // as mapped and enabled then
  uint64_t time = 0, traceHash = 0, intercepted = 0;
  size_t events = 0;
  uint64_t droppedEvents = 0;
};

std::vector<Device*> Machine::devicesInOrder() {
  std::vector<Device*> out;
  for (const auto& w : bus_.mmioWindows()) out.push_back(w.device);
  for (const auto& p : bus_.portRanges()) out.push_back(p.device);
  return out;
}

std::shared_ptr<Machine::Snapshot> Machine::snapshot() {
  start();
  auto s = std::make_shared<Snapshot>();
  for (auto& c : cpus_) s->cpus.push_back(c->save());
  s->windows = bus_.mmioWindows();
  for (Device* d : devicesInOrder()) s->devices.push_back(d->saveState());
  s->time = platform_.time;
  s->traceHash = platform_.traceHash;
  s->intercepted = platform_.intercepted;
  s->events = platform_.events.size();
  s->droppedEvents = platform_.droppedEvents;
  if (!ramSnapshot_) ramSnapshot_ = std::make_unique<RamSnapshot>(memory_);
  ramSnapshot_->take();
  ramSnapshotOwner_ = s.get();
  return s;
}

void Machine::restore(const Snapshot& s) {
  if (ramSnapshotOwner_ != &s || !ramSnapshot_)
    throw InternalError("machine snapshot restore: only the most recent snapshot can be restored");
  for (const auto& r : ramSnapshot_->restore()) {
    for (auto& c : cpus_) c->invalidateCode(r.gpa, r.size);
  }
  for (size_t i = 0; i < cpus_.size(); ++i) cpus_[i]->restore(*s.cpus[i]);
  bus_.restoreMmioWindows(s.windows);
  auto devices = devicesInOrder();
  for (size_t i = 0; i < devices.size() && i < s.devices.size(); ++i) devices[i]->restoreState(s.devices[i]);
  platform_.time = s.time;
  platform_.traceHash = s.traceHash;
  platform_.intercepted = s.intercepted;
  platform_.events.resize(s.events);
  platform_.droppedEvents = s.droppedEvents;
}

}  // namespace dlsim
