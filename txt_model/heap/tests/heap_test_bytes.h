// Little-endian byte writing for the heap tests, independent of the code
// under test: tests lay tables out from the SDG offsets themselves.
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim::txt::heap::testing {

struct Le {
  std::vector<uint8_t> b;
  Le& u8(uint8_t v) { b.push_back(v); return *this; }
  Le& u16(uint16_t v) { return u8(uint8_t(v)).u8(uint8_t(v >> 8)); }
  Le& u32(uint32_t v) { return u16(uint16_t(v)).u16(uint16_t(v >> 16)); }
  Le& u64(uint64_t v) { return u32(uint32_t(v)).u32(uint32_t(v >> 32)); }
  Le& fill(size_t n, uint8_t v = 0) { b.insert(b.end(), n, v); return *this; }
  Le& bytes(const std::vector<uint8_t>& v) { b.insert(b.end(), v.begin(), v.end()); return *this; }
  size_t size() const { return b.size(); }
};

// A table: u64 size (8 + body) then the body.
inline std::vector<uint8_t> table(const std::vector<uint8_t>& body) {
  Le t;
  t.u64(body.size() + 8).bytes(body);
  return t.b;
}

inline void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = uint8_t(v >> (8 * i));
}
inline void put64(std::vector<uint8_t>& b, size_t off, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[off + i] = uint8_t(v >> (8 * i));
}

}  // namespace dlsim::txt::heap::testing
