// The authenticated code module (ACM) header: the fixed part every ACM
// starts with (shared/spec/intel-txt.md §5; Intel MLE developer's guide
// appendix A.1; tboot include/txt/acmod.h). GETSEC[ENTERACCS] and [SENTER]
// read it to find the entry point and GDT; the SINIT model and `dlsim
// acminfo` read the rest. Parsing is bounded: any bytes give a header or an
// InputError naming the field and its offset, never a read out of bounds.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim::txt {

// Field offsets in the header (bytes from the module base).
namespace acm_off {
constexpr uint32_t kModuleType = 0x00, kModuleSubType = 0x02, kHeaderLen = 0x04, kHeaderVersion = 0x08,
                   kChipsetId = 0x0C, kFlags = 0x0E, kModuleVendor = 0x10, kDate = 0x14, kSize = 0x18,
                   kTxtSvn = 0x1C, kSeSvn = 0x1E, kCodeControl = 0x20, kErrorEntryPoint = 0x24, kGdtLimit = 0x28,
                   kGdtBasePtr = 0x2C, kSegSel = 0x30, kEntryPoint = 0x34, kReserved2 = 0x38, kKeySize = 0x78,
                   kScratchSize = 0x7C, kRsaKey = 0x80;
}  // namespace acm_off

constexpr uint16_t kAcmTypeChipset = 2;        // ModuleType
constexpr uint32_t kAcmVendorIntel = 0x8086;   // ModuleVendor
constexpr uint16_t kAcmFlagPreProduction = 1u << 14;
constexpr uint16_t kAcmFlagDebugSigned = 1u << 15;
// Header version 0.0 (2048-bit key, exponent field) and 3.0 (3072-bit key,
// no exponent field), as real SINITs carry them.
constexpr uint32_t kAcmHeaderVersion0 = 0x00000000;
constexpr uint32_t kAcmHeaderVersion3 = 0x00030000;
// Bytes 0x00-0x7F: the header fields hashed into the ACM digest.
constexpr uint32_t kAcmHashedHeaderBytes = 0x80;

struct AcmHeader {
  uint16_t moduleType = 0;
  uint16_t moduleSubType = 0;
  uint32_t headerLen = 0;      // dwords
  uint32_t headerVersion = 0;
  uint16_t chipsetId = 0;
  uint16_t flags = 0;
  uint32_t moduleVendor = 0;
  uint32_t date = 0;           // 0xYYYYMMDD (BCD)
  uint32_t size = 0;           // dwords
  uint16_t txtSvn = 0;
  uint16_t seSvn = 0;
  uint32_t codeControl = 0;
  uint32_t errorEntryPoint = 0;
  uint32_t gdtLimit = 0;
  uint32_t gdtBasePtr = 0;     // offset from the module base
  uint32_t segSel = 0;
  uint32_t entryPoint = 0;     // offset from the module base
  uint32_t keySize = 0;        // dwords
  uint32_t scratchSize = 0;    // dwords
  std::vector<uint8_t> rsaPublicKey;  // modulus, little-endian as stored
  bool hasExponent = false;           // header version 0.0 only
  uint32_t rsaExponent = 0;
  std::vector<uint8_t> rsaSignature;  // as stored

  uint64_t sizeBytes() const { return uint64_t{size} * 4; }
  // Where the user area (and the information table) starts:
  // (HeaderLen + ScratchSize) * 4.
  uint64_t userAreaOffset() const { return (uint64_t{headerLen} + scratchSize) * 4; }
  bool debugSigned() const { return (flags & kAcmFlagDebugSigned) != 0; }
  bool preProduction() const { return (flags & kAcmFlagPreProduction) != 0; }
};

// Parses the header at the start of `bytes` (a file or guest memory at the
// module base). Checks only what is needed to read it safely: the fields
// lie inside `bytes`, Size*4 fits in `bytes`, KeySize is 64 or 96 dwords and
// the key, exponent, signature and scratch area lie inside HeaderLen/Size.
// `source` names the bytes in messages ("FILE" or "ACM at 0x...").
AcmHeader parseAcmHeader(std::span<const uint8_t> bytes, const std::string& source);

}  // namespace dlsim::txt
