// A device for machine-level bus tests that records every access it sees
// (who made it, where, how wide, the value) and answers each read with bytes
// that tell where they came from.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/device.h"

namespace dlsim::test {

struct Access {
  bool write = false;
  int cpu = -1;
  uint64_t offset = 0;
  unsigned size = 0;
  uint64_t value = 0;
  bool operator==(const Access&) const = default;
};

inline std::ostream& operator<<(std::ostream& o, const Access& a) {
  return o << (a.write ? "write" : "read") << " cpu " << a.cpu << " +0x" << std::hex << a.offset << std::dec << " size "
           << a.size << " value 0x" << std::hex << a.value << std::dec;
}

// Answers a read of `size` bytes at `offset` with bytes 0x40 + offset + i:
// every byte tells which address it came from.
inline uint64_t reply(uint64_t offset, unsigned size) {
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= ((0x40 + offset + i) & 0xff) << (8 * i);
  return v;
}

// A device that records every access it sees.
class Recorder : public Device {
 public:
  std::string name() const override { return "recorder"; }
  uint64_t read(const AccessContext& c, uint64_t off, unsigned size) override {
    accesses.push_back({false, c.cpu, off, size, reply(off, size)});
    return reply(off, size);
  }
  void write(const AccessContext& c, uint64_t off, unsigned size, uint64_t v) override {
    accesses.push_back({true, c.cpu, off, size, v});
  }
  std::vector<Access> accesses;
};

}  // namespace dlsim::test
