#include "svm_model/slb/slb_header.h"

#include <algorithm>

#include "sim/le_reader.h"

namespace dlsim::svm {

SlbHeader readSlbHeader(std::span<const uint8_t> image, const std::string& source) {
  LeReader r(image, source);
  SlbHeader h;
  h.entry = r.u16(0, "SLB header entry");
  h.length = r.u16(2, "SLB header length");
  return h;
}

std::vector<uint8_t> slbMeasuredBytes(std::span<const uint8_t> image, uint16_t length) {
  std::vector<uint8_t> out(slbMeasuredLength(length), 0);
  size_t n = std::min<size_t>(length, image.size());
  std::copy_n(image.begin(), n, out.begin());
  return out;
}

}  // namespace dlsim::svm
