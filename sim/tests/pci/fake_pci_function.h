// A PCI function for tests: records every configuration access it gets (the
// register, the size, the value, who made it) and answers a read with bytes
// that tell where they came from: byte i of a read at `offset` is
// (0x40 + offset + i) & 0xff, plus `salt` (functions differ). Its saved
// state is its name's length and the number of writes it took (so a
// snapshot test sees a restore).
#pragma once
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "sim/pci/pci_function.h"

namespace dlsim::test {

struct ConfigAccess {
  bool write = false;
  uint16_t offset = 0;
  unsigned size = 0;
  uint32_t value = 0;
  int cpu = -1;
  bool operator==(const ConfigAccess&) const = default;
};

inline std::ostream& operator<<(std::ostream& o, const ConfigAccess& a) {
  return o << (a.write ? "write" : "read") << " reg 0x" << std::hex << a.offset << std::dec << " size " << a.size
           << " value 0x" << std::hex << a.value << std::dec << " cpu " << a.cpu;
}

// What FakePciFunction answers for a read of `size` bytes at `offset`.
inline uint32_t configReply(uint16_t offset, unsigned size, uint8_t salt = 0) {
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= ((0x40u + offset + i + salt) & 0xffu) << (8 * i);
  return v;
}

class FakePciFunction : public PciFunction {
 public:
  explicit FakePciFunction(std::string name, uint8_t salt = 0) : name_(std::move(name)), salt_(salt) {}
  std::string name() const override { return name_; }
  uint32_t readConfig(const AccessContext& ctx, uint16_t offset, unsigned size) override {
    const uint32_t v = configReply(offset, size, salt_);
    accesses.push_back({false, offset, size, v, ctx.cpu});
    return v;
  }
  void writeConfig(const AccessContext& ctx, uint16_t offset, unsigned size, uint32_t value) override {
    accesses.push_back({true, offset, size, value, ctx.cpu});
    ++writes;
  }
  std::vector<uint8_t> saveState() const override {
    return {static_cast<uint8_t>(name_.size()), static_cast<uint8_t>(writes)};
  }
  void restoreState(std::span<const uint8_t> state) override {
    ++restores;
    if (state.size() == 2) writes = state[1];
  }

  std::vector<ConfigAccess> accesses;
  unsigned writes = 0;
  unsigned restores = 0;

 private:
  std::string name_;
  uint8_t salt_;
};

}  // namespace dlsim::test
