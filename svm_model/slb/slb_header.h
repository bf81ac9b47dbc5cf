// The Secure Loader Block header SKINIT reads (APM 15.27.2; docs/skl.md):
// u16 entry-point offset at +0 and u16 image length at +2, little-endian,
// at the start of the 64 KiB SLB, and the bytes SKINIT sends to the TPM.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim::svm {

inline constexpr uint32_t kSlbSize = 0x10000;  // the SLB is 64 KiB, 64 KiB-aligned, below 4 GiB

struct SlbHeader {
  uint16_t entry = 0;   // +0: offset of the first instruction
  uint16_t length = 0;  // +2: image length in bytes
};

// Reads the 4-byte header; InputError naming `source` if fewer bytes.
SlbHeader readSlbHeader(std::span<const uint8_t> image, const std::string& source);

// The number of bytes SKINIT hashes: the length rounded up to a multiple of 4
// (hardware behaviour recorded in SKL's link.lds, not in the APM).
inline uint32_t slbMeasuredLength(uint16_t length) { return (uint32_t(length) + 3u) & ~3u; }

// The bytes SKINIT hashes: image[0:length] followed by zero bytes up to
// slbMeasuredLength(length). Bytes of `image` past `length` (and image bytes
// missing before `length`) are not read: the pad is always zero (SKL keeps its
// pad zero; whether hardware reads it from memory is unconfirmed).
std::vector<uint8_t> slbMeasuredBytes(std::span<const uint8_t> image, uint16_t length);

}  // namespace dlsim::svm
