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
  img.header = readSlbHeader(h, "SLB");  // 4 bytes: never refused
  const uint16_t length = img.header.length;
  if (memory.contains(base, length)) {
    std::vector<uint8_t> bytes(length);
    memory.read(base, bytes.data(), length);
    img.measured = slbMeasuredBytes(bytes, length);
  } else {
    img.measured.assign(slbMeasuredLength(length), 0);
    for (uint32_t i = 0; i < length; ++i) img.measured[i] = byteAt(memory, base + i, img.notRamBytes);
  }
  return img;
}

}  // namespace dlsim::svm
