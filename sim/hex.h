// Formatting helpers used in messages and reports.
#pragma once
#include <cstdint>
#include <string>

namespace dlsim {

// "0x1f" style lower-case hex, no padding.
std::string hex(uint64_t v);
// Lower-case hex of a byte string, no prefix.
std::string hexBytes(const uint8_t* p, size_t n);

}  // namespace dlsim
