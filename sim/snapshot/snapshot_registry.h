// The one list of everything whose state a machine snapshot saves besides
// the CPUs and RAM: bus devices (each once, however many windows it is
// mapped at) and any other part a model keeps (MSR values, engines, timers).
// The machine's snapshot asks each registered part in registration order;
// restoring a snapshot taken with a different set of parts is an error.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

class Device;

class SnapshotRegistry {
 public:
  using SaveFn = std::function<std::vector<uint8_t>()>;
  using RestoreFn = std::function<void(std::span<const uint8_t>)>;

  // A part named `name` (unique; used in messages).
  void add(std::string name, SaveFn save, RestoreFn restore);
  // A device, through its saveState/restoreState; a device added again
  // (mapped at a second window) is kept once.
  void addDevice(Device& device);

  struct Saved {
    std::vector<std::string> names;
    std::vector<std::vector<uint8_t>> states;
  };
  Saved save() const;
  // InternalError when `s` was not saved from the same parts (count or names).
  void check(const Saved& s) const;
  // check(s), then every part's restore.
  void restore(const Saved& s) const;

  size_t size() const { return parts_.size(); }

 private:
  struct Part {
    std::string name;
    const void* identity;  // the device, for deduplication; null for other parts
    SaveFn save;
    RestoreFn restore;
  };
  std::vector<Part> parts_;
};

}  // namespace dlsim
