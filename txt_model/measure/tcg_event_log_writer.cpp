#include "txt_model/measure/tcg_event_log_writer.h"

#include <cstring>

namespace dlsim::txt::measure {
namespace {

void le16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(uint8_t(v));
  b.push_back(uint8_t(v >> 8));
}
void le32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

uint16_t tpmDigestSize(uint16_t alg) {
  switch (alg) {
    case 0x0004: return 20;  // SHA-1
    case 0x000B: return 32;  // SHA-256
    case 0x000C: return 48;  // SHA-384
    case 0x000D: return 64;  // SHA-512
    case 0x0012: return 32;  // SM3-256
    default: return 0;
  }
}

std::vector<uint8_t> specIdHeaderEvent(const std::vector<uint16_t>& banks) {
  std::vector<uint8_t> spec;
  static const char kSig[16] = "Spec ID Event03";  // 15 characters and the NUL
  spec.insert(spec.end(), kSig, kSig + 16);
  le32(spec, 0);       // platformClass: client
  spec.push_back(0);   // specVersionMinor
  spec.push_back(2);   // specVersionMajor
  spec.push_back(0);   // specErrata
  spec.push_back(2);   // uintnSize: UINT64
  le32(spec, uint32_t(banks.size()));
  for (uint16_t alg : banks) {
    le16(spec, alg);
    le16(spec, tpmDigestSize(alg));
  }
  spec.push_back(0);  // vendorInfoSize

  std::vector<uint8_t> e;
  le32(e, 0);  // PCR index
  le32(e, kEvNoAction);
  e.insert(e.end(), 20, 0);  // SHA-1-sized digest, zero
  le32(e, uint32_t(spec.size()));
  e.insert(e.end(), spec.begin(), spec.end());
  return e;
}

std::vector<uint8_t> pcrEvent2(uint32_t pcr, uint32_t eventType, const std::vector<BankDigest>& digests,
                               std::span<const uint8_t> data) {
  std::vector<uint8_t> e;
  le32(e, pcr);
  le32(e, eventType);
  le32(e, uint32_t(digests.size()));
  for (const auto& d : digests) {
    le16(e, d.alg);
    e.insert(e.end(), d.digest.begin(), d.digest.end());
  }
  le32(e, uint32_t(data.size()));
  e.insert(e.end(), data.begin(), data.end());
  return e;
}

}  // namespace dlsim::txt::measure
