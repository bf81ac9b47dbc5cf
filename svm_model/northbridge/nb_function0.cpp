#include "svm_model/northbridge/nb_function0.h"

namespace dlsim::svm {

AmdNbFunction0::AmdNbFunction0(unsigned node, uint16_t deviceId, bool hasMemprotCr, SlDevProtection& slb)
    : node_(node), hasMemprotCr_(hasMemprotCr), slb_(slb) {
  header_.deviceId = deviceId;
  header_.classCode = 0x060000;  // host bridge
  header_.headerType = 0x80;     // multi-function (F1..F7 follow)
}

uint32_t AmdNbFunction0::readDword(uint16_t offset) const {
  if (offset < 0x40) return pciHeaderDword(header_, offset);
  if (offset == kMemprotCr && hasMemprotCr_) return slb_.enabledOn(node_) ? kMemprotEn : 0;
  return 0;
}

uint32_t AmdNbFunction0::readConfig(const AccessContext&, uint16_t offset, unsigned size) {
  return sizedRead(readDword(static_cast<uint16_t>(offset & ~3u)), offset, size);
}

void AmdNbFunction0::writeConfig(const AccessContext&, uint16_t offset, unsigned size, uint32_t value) {
  if ((offset & ~3u) != kMemprotCr || !hasMemprotCr_) return;
  if ((sizedMask(offset, size) & kMemprotEn) == 0) return;  // the access does not reach bit 0
  const uint32_t dword = sizedMerge(readDword(kMemprotCr), offset, size, value);
  if ((dword & kMemprotEn) == 0) slb_.release(node_);
}

}  // namespace dlsim::svm
