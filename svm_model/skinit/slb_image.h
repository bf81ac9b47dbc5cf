// What SKINIT reads of the Secure Loader Block in guest memory (APM vol. 2
// 15.27.2-15.27.3): the header and the bytes it sends to the TPM. The header
// layout and the measured bytes (SLB[0, align_up(length, 4)) with the pad
// past `length` zero) are svm_model/slb/slb_header.h's, shared with the SKL
// image reader; this part adds where the bytes come from: guest memory, with
// what is not RAM counted. A u16 length rounded up to 4 is at most 64 KiB, so
// it never leaves the SLB.
#pragma once
#include <cstdint>
#include <vector>

#include "svm_model/slb/slb_header.h"

namespace dlsim {
class GuestMemory;
}

namespace dlsim::svm {

struct SlbImage {
  SlbHeader header;
  std::vector<uint8_t> measured;  // what SKINIT hashes
  // Bytes of SLB[0, slbMeasuredLength) that are not RAM (read as 0xFF, as
  // the bus answers an unclaimed read); 0 when the whole image is RAM.
  uint32_t notRamBytes = 0;
};

// Reads the header and the measured bytes of the SLB at `base`.
SlbImage readSlbImage(const GuestMemory& memory, uint64_t base);

}  // namespace dlsim::svm
