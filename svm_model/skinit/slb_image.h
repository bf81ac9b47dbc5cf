// What SKINIT reads of the Secure Loader Block (APM vol. 2 15.27.2-15.27.3):
// the two header words and the bytes it sends to the TPM. The measured bytes
// are SLB[0, align_up(length, 4)) with the pad bytes past `length` as zero:
// the APM names only "the SL image"; the rounding to 4 is the hardware
// behaviour TrenchBoot's SKL records (spec note amd-skinit.md 1.3). A
// u16 length rounded up to 4 is at most 64 KiB, so it never leaves the SLB.
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim {
class GuestMemory;
}

namespace dlsim::svm {

struct SlbHeader {
  uint16_t entryOffset = 0;  // +0
  uint16_t length = 0;       // +2: bytes of the SL image
};

inline uint32_t measuredLength(uint16_t length) { return (uint32_t{length} + 3u) & ~3u; }

struct SlbImage {
  SlbHeader header;
  std::vector<uint8_t> measured;  // what SKINIT hashes
  // Bytes of SLB[0, measuredLength) that are not RAM (read as 0xFF, as the
  // bus answers an unclaimed read); 0 when the whole image is RAM.
  uint32_t notRamBytes = 0;
};

// Reads the header and the measured bytes of the SLB at `base`.
SlbImage readSlbImage(const GuestMemory& memory, uint64_t base);

}  // namespace dlsim::svm
