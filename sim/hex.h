// Formatting helpers used in messages and reports: the one hex helper of
// the code base (platform, CPU and models alike).
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace dlsim {

// "0x1f" style lower-case hex, no padding.
std::string hex(uint64_t v);
// Lower-case hex of a byte string, no prefix.
std::string hexBytes(const uint8_t* p, size_t n);
inline std::string hexBytes(std::span<const uint8_t> b) { return hexBytes(b.data(), b.size()); }

}  // namespace dlsim
