#include "svm_model/northbridge/pci_header.h"

namespace dlsim::svm {

uint32_t pciHeaderDword(const PciHeader& h, uint16_t offset) {
  switch (offset) {
    case 0x00: return static_cast<uint32_t>(h.deviceId) << 16 | h.vendorId;
    case 0x04: return h.capPointer ? static_cast<uint32_t>(kPciStatusCapList) << 16 : 0;
    case 0x08: return h.classCode << 8 | h.revision;
    case 0x0C: return static_cast<uint32_t>(h.headerType) << 16;
    case kPciCapPointer: return h.capPointer;
    default: return 0;
  }
}

uint32_t sizedMask(uint16_t offset, unsigned size) {
  const uint32_t ones = size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
  return ones << (8 * (offset & 3));
}

uint32_t sizedRead(uint32_t dword, uint16_t offset, unsigned size) {
  return (dword & sizedMask(offset, size)) >> (8 * (offset & 3));
}

uint32_t sizedMerge(uint32_t dword, uint16_t offset, unsigned size, uint32_t value) {
  const uint32_t mask = sizedMask(offset, size);
  return (dword & ~mask) | ((value << (8 * (offset & 3))) & mask);
}

}  // namespace dlsim::svm
