// Test helpers that read ACPI tables the way OSPM does, straight from the
// spec's offsets (ACPI 6.5 chapter 5.2), independently of sim/acpi.
#pragma once
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace dlsim::test {

inline uint64_t le(std::span<const uint8_t> b, size_t off, unsigned len) {
  uint64_t v = 0;
  for (unsigned i = 0; i < len; ++i) v |= uint64_t(b[off + i]) << (8 * i);
  return v;
}

inline unsigned byteSum(std::span<const uint8_t> b) {
  unsigned s = 0;
  for (uint8_t x : b) s += x;
  return s & 0xff;
}

inline std::string sig(std::span<const uint8_t> b, size_t n = 4) { return std::string(b.begin(), b.begin() + n); }

}  // namespace dlsim::test
