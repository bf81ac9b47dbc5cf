#include "svm_model/skinit/slb_image.h"

#include "sim/guest_memory.h"

namespace dlsim::svm {

namespace {
// One byte of the SLB, all ones when it is not RAM.
uint8_t byteAt(const GuestMemory& memory, uint64_t gpa, uint32_t& notRam) {
  uint8_t b = 0;
  if (memory.read(gpa, &b, 1)) return b;
  ++notRam;
  return 0xFF;
}
}  // namespace

SlbImage readSlbImage(const GuestMemory& memory, uint64_t base) {
  SlbImage img;
  uint32_t headerNotRam = 0;
  uint8_t h[4];
  for (int i = 0; i < 4; ++i) h[i] = byteAt(memory, base + i, headerNotRam);
  img.header.entryOffset = static_cast<uint16_t>(h[0] | h[1] << 8);
  img.header.length = static_cast<uint16_t>(h[2] | h[3] << 8);
  const uint32_t n = measuredLength(img.header.length);
  img.measured.resize(n, 0);
  if (memory.contains(base, img.header.length)) {
    memory.read(base, img.measured.data(), img.header.length);
  } else {
    for (uint32_t i = 0; i < img.header.length; ++i) img.measured[i] = byteAt(memory, base + i, img.notRamBytes);
  }
  return img;
}

}  // namespace dlsim::svm
