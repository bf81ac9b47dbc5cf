// The legacy Device Exclusion Vector's registers (family 10h-16h), reached
// through D18F3's capability 0x0F: DEV_OP (cap+4: bits 15:8 function, 7:0
// index) selects one, DEV_DATA (cap+8) reads or writes it. Register numbers,
// DEV_CR bits and DEV_BASE_LO fields: 3mdeb's amd_dev.h / amd_dev.c (D.
// Smith, 2019); DEV_CAP bits 15:8 count the domains (DEV_MAP registers) and
// 23:16 the maps (DEV_BASE_LO/HI pairs), as amd_dev.c reads them.
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim::svm::dev {

inline constexpr uint16_t kCapOffset = 0xF0;  // fixed on the DEV parts
inline constexpr uint8_t kCapId = 0x0F;
inline constexpr uint16_t kOpOffset = kCapOffset + 4;
inline constexpr uint16_t kDataOffset = kCapOffset + 8;

// DEV_OP function numbers.
inline constexpr uint8_t kBaseLo = 0;
inline constexpr uint8_t kBaseHi = 1;
inline constexpr uint8_t kMap = 2;
inline constexpr uint8_t kCap = 3;
inline constexpr uint8_t kCr = 4;
inline constexpr uint8_t kErrStatus = 5;
inline constexpr uint8_t kErrAddrLo = 6;
inline constexpr uint8_t kErrAddrHi = 7;

// DEV_CR bits.
inline constexpr uint32_t kCrDevEn = 1u << 0;
inline constexpr uint32_t kCrMemClr = 1u << 1;
inline constexpr uint32_t kCrIospEn = 1u << 2;
inline constexpr uint32_t kCrMceEn = 1u << 3;
inline constexpr uint32_t kCrInvCache = 1u << 4;  // reads 0: the model keeps no DEV cache to invalidate
inline constexpr uint32_t kCrSlDevEn = 1u << 5;
inline constexpr uint32_t kCrWalkProbe = 1u << 6;
inline constexpr uint32_t kCrStored = kCrDevEn | kCrMemClr | kCrIospEn | kCrMceEn | kCrWalkProbe;

// DEV_BASE_LO: bit 0 valid, bit 1 protected, bits 6:2 size, 31:12 address.
inline constexpr uint32_t kBaseLoMask = 0xFFFFF07Fu;

// What the DEV registers hold (SL_DEV_EN lives in the SLB protection).
struct DevRegisters {
  std::vector<uint32_t> baseLo, baseHi;  // one pair per map
  std::vector<uint32_t> map;             // one per domain
  uint32_t cr = 0;                       // the kCrStored bits
  uint32_t errStatus = 0, errAddrLo = 0, errAddrHi = 0;
};

}  // namespace dlsim::svm::dev
