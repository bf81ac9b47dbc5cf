// See snapshot_registry.h.
#include "sim/snapshot/snapshot_registry.h"

#include "sim/device.h"
#include "sim/errors.h"

namespace dlsim {

void SnapshotRegistry::add(std::string name, SaveFn save, RestoreFn restore) {
  for (const Part& p : parts_)
    if (p.name == name) throw InternalError("snapshot registry: part \"" + name + "\" is registered twice");
  parts_.push_back({std::move(name), nullptr, std::move(save), std::move(restore)});
}

void SnapshotRegistry::addDevice(Device& device) {
  for (const Part& p : parts_)
    if (p.identity == &device) return;
  parts_.push_back({"device " + device.name() + " #" + std::to_string(parts_.size()), &device,
                    [&device] { return device.saveState(); },
                    [&device](std::span<const uint8_t> s) { device.restoreState(s); }});
}

SnapshotRegistry::Saved SnapshotRegistry::save() const {
  Saved s;
  for (const Part& p : parts_) {
    s.names.push_back(p.name);
    s.states.push_back(p.save());
  }
  return s;
}

void SnapshotRegistry::check(const Saved& s) const {
  if (s.states.size() != parts_.size() || s.names.size() != parts_.size())
    throw InternalError("snapshot restore: the snapshot holds " + std::to_string(s.states.size()) +
                        " parts, the machine has " + std::to_string(parts_.size()));
  for (size_t i = 0; i < parts_.size(); ++i)
    if (s.names[i] != parts_[i].name)
      throw InternalError("snapshot restore: part " + std::to_string(i) + " is \"" + parts_[i].name +
                          "\", the snapshot's is \"" + s.names[i] + "\"");
}

void SnapshotRegistry::restore(const Saved& s) const {
  check(s);
  for (size_t i = 0; i < parts_.size(); ++i) parts_[i].restore(s.states[i]);
}

}  // namespace dlsim
