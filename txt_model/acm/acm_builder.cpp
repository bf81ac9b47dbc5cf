// Building a simulated SINIT ACM (acm_builder.h).
#include "txt_model/acm/acm_builder.h"

#include <algorithm>
#include <cstring>

#include "sim/errors.h"
#include "sim/hex.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_signing_key.h"

namespace dlsim::txt {
namespace {

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& b) : b_(b) {}
  void u8(uint64_t off, uint8_t v) { put(off, v, 1); }
  void u16(uint64_t off, uint16_t v) { put(off, v, 2); }
  void u32(uint64_t off, uint32_t v) { put(off, v, 4); }
  void u64(uint64_t off, uint64_t v) { put(off, v, 8); }
  void bytes(uint64_t off, const std::vector<uint8_t>& v) { std::copy(v.begin(), v.end(), b_.begin() + off); }

 private:
  void put(uint64_t off, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) b_.at(off + i) = static_cast<uint8_t>(v >> (8 * i));
  }
  std::vector<uint8_t>& b_;
};

constexpr uint32_t kHeaderLenDwords = 0xA1;   // header 0.0: 0x284 bytes
constexpr uint32_t kScratchDwords = 0x8F;     // 143
constexpr uint32_t kKeyDwords = 64;           // RSA-2048

}  // namespace

std::vector<uint8_t> buildSinitAcm(const TxtProfile& p) {
  std::vector<uint8_t> b(kSimSinitSize, 0);
  Writer w(b);
  // --- header (acm_header.h offsets) ---
  w.u16(acm_off::kModuleType, kAcmTypeChipset);
  w.u16(acm_off::kModuleSubType, 0);
  w.u32(acm_off::kHeaderLen, kHeaderLenDwords);
  w.u32(acm_off::kHeaderVersion, kAcmHeaderVersion0);
  w.u16(acm_off::kChipsetId, p.sinitChipsetId);
  w.u16(acm_off::kFlags, p.sinitDebugSigned ? kAcmFlagDebugSigned : 0);
  w.u32(acm_off::kModuleVendor, kAcmVendorIntel);
  w.u32(acm_off::kDate, p.sinitDate);
  w.u32(acm_off::kSize, kSimSinitSize / 4);
  w.u16(acm_off::kTxtSvn, p.sinitTxtSvn);
  w.u16(acm_off::kSeSvn, p.sinitSeSvn);
  w.u32(acm_off::kCodeControl, 0);
  w.u32(acm_off::kErrorEntryPoint, 0);
  w.u32(acm_off::kGdtLimit, 3 * 8 - 1);
  w.u32(acm_off::kGdtBasePtr, kSimSinitGdtOffset);
  w.u32(acm_off::kSegSel, 0x08);
  w.u32(acm_off::kEntryPoint, kSimSinitEntryOffset);
  w.u32(acm_off::kKeySize, kKeyDwords);
  w.u32(acm_off::kScratchSize, kScratchDwords);

  // --- information table at (HeaderLen + ScratchSize) * 4 = 0x4C0 ---
  const uint32_t t = (kHeaderLenDwords + kScratchDwords) * 4;
  std::copy(kAcmInfoTableUuid.begin(), kAcmInfoTableUuid.end(), b.begin() + t);
  w.u8(t + 0x10, kAcmChipsetTypeSinit);
  w.u8(t + 0x11, static_cast<uint8_t>(p.sinitInfoTableVersion));
  uint32_t tableLen = p.sinitInfoTableVersion >= 5 ? kAcmInfoTableSize
                      : p.sinitInfoTableVersion == 4 ? kAcmInfoTableV3Size + 4
                                                     : kAcmInfoTableV3Size;
  w.u16(t + 0x12, static_cast<uint16_t>(tableLen));
  w.u32(t + 0x18, p.osSinitDataVersion);
  w.u32(t + 0x1C, p.minMleHeaderVersion);
  w.u32(t + 0x20, p.sinitCapabilities);
  w.u8(t + 0x24, p.acmVersionByte);
  for (unsigned i = 0; i < 3; ++i) w.u8(t + 0x25 + i, p.acmRevision[i]);

  // --- the lists, one after the other, before the GDT ---
  uint64_t at = t + tableLen;
  auto room = [&](uint64_t need, const char* what) {
    if (at + need > kSimSinitGdtOffset)
      throw InputError("TXT platform profile \"" + p.name + "\": " + what + " do not fit in the simulated SINIT (" +
                       hex(at + need) + " > " + hex(kSimSinitGdtOffset) + ")");
  };
  room(4 + uint64_t{kAcmChipsetIdSize} * p.sinitChipsetIds.size(), "/sinit/chipset_ids");
  w.u32(t + 0x14, static_cast<uint32_t>(at));
  w.u32(at, static_cast<uint32_t>(p.sinitChipsetIds.size()));
  at += 4;
  for (const AcmChipsetId& c : p.sinitChipsetIds) {
    w.u32(at, c.flags);
    w.u16(at + 4, c.vendorId);
    w.u16(at + 6, c.deviceId);
    w.u16(at + 8, c.revisionId);
    w.u32(at + 12, c.extendedId);
    at += kAcmChipsetIdSize;
  }
  if (p.sinitInfoTableVersion >= 4) {
    room(4 + uint64_t{kAcmProcessorIdSize} * p.sinitProcessorIds.size(), "/sinit/processor_ids");
    w.u32(t + 0x28, static_cast<uint32_t>(at));
    w.u32(at, static_cast<uint32_t>(p.sinitProcessorIds.size()));
    at += 4;
    for (const AcmProcessorId& c : p.sinitProcessorIds) {
      w.u32(at, c.fms);
      w.u32(at + 4, c.fmsMask);
      w.u64(at + 8, c.platformId);
      w.u64(at + 16, c.platformMask);
      at += kAcmProcessorIdSize;
    }
  }
  if (p.sinitInfoTableVersion >= 5) {
    room(6 + 2 * uint64_t{p.tpmAlgorithms.size()}, "/sinit/tpm_algorithms");
    w.u32(t + 0x2C, static_cast<uint32_t>(at));
    w.u32(at, p.tpmCapabilities);
    w.u16(at + 4, static_cast<uint16_t>(p.tpmAlgorithms.size()));
    at += 6;
    for (uint16_t a : p.tpmAlgorithms) {
      w.u16(at, a);
      at += 2;
    }
  }

  // --- GDT: null, flat 4 GiB code (0x9B, 32-bit, 4K granular), flat data ---
  w.u64(kSimSinitGdtOffset + 8, 0x00CF9B000000FFFFull);
  w.u64(kSimSinitGdtOffset + 16, 0x00CF93000000FFFFull);

  // --- marker and entry point ---
  std::string marker = std::string(kSimSinitMarker) + " profile=" + p.name;
  marker.resize(std::min<size_t>(marker.size(), kSimSinitEntryOffset - kSimSinitMarkerOffset - 1));
  std::memcpy(b.data() + kSimSinitMarkerOffset, marker.data(), marker.size());
  w.u8(kSimSinitEntryOffset, 0x0F);  // UD2
  w.u8(kSimSinitEntryOffset + 1, 0x0B);

  // --- key, exponent, signature over the digest input ---
  w.bytes(acm_off::kRsaKey, acmSigningKeyModulusLe());
  w.u32(acm_off::kRsaKey + kKeyDwords * 4, kAcmSigningKeyExponent);
  AcmHeader h = parseAcmHeader(b, "simulated SINIT");
  w.bytes(acm_off::kRsaKey + kKeyDwords * 4 + 4, acmSign(acmDigestInput(b, h)));
  return b;
}

}  // namespace dlsim::txt
