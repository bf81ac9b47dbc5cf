// The parts of a PCI type-0 configuration header (PCI Local Bus 3.0 6.1)
// the AMD functions share, and the sub-dword arithmetic every function
// uses: an access of 1, 2 or 4 bytes inside one dword.
#pragma once
#include <cstdint>

namespace dlsim::svm {

inline constexpr uint16_t kAmdVendorId = 0x1022;
inline constexpr uint16_t kPciStatusCapList = 1u << 4;  // status bit 4: capability list present
inline constexpr uint16_t kPciCapPointer = 0x34;

struct PciHeader {
  uint16_t vendorId = kAmdVendorId;
  uint16_t deviceId = 0;
  uint8_t revision = 0;
  uint32_t classCode = 0;  // base class << 16 | subclass << 8 | programming interface
  uint8_t headerType = 0;  // bit 7: multi-function device
  uint8_t capPointer = 0;  // 0: no capability list
};

// The header's dword at `offset` (0x00..0x3C, dword aligned): identity,
// status (capability list bit when capPointer != 0), class, header type,
// capability pointer; command, BARs and the rest read 0 (none implemented).
uint32_t pciHeaderDword(const PciHeader& h, uint16_t offset);

// The `size` bytes at `offset` of the dword holding them.
uint32_t sizedRead(uint32_t dword, uint16_t offset, unsigned size);
// `dword` with the `size` bytes at `offset` replaced by `value`.
uint32_t sizedMerge(uint32_t dword, uint16_t offset, unsigned size, uint32_t value);
// The bits of the dword an access of `size` bytes at `offset` covers.
uint32_t sizedMask(uint16_t offset, unsigned size);

}  // namespace dlsim::svm
