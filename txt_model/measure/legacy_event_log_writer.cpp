#include "txt_model/measure/legacy_event_log_writer.h"

#include "txt_model/measure/tcg_event_log_writer.h"

namespace dlsim::txt::measure {
namespace {

void le32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

std::optional<uint32_t> legacyDigestAlgId(uint16_t tpmAlg) {
  switch (tpmAlg) {
    case 0x0004: return 1;  // SHA-1
    case 0x000B: return 2;  // SHA-256
    case 0x000C: return 3;  // SHA-384
    case 0x000D: return 4;  // SHA-512
    case 0x0012: return 5;  // SM3-256
    default: return std::nullopt;
  }
}

bool legacyLogHasHeader(uint16_t tpmAlg) { return tpmAlg != 0x0004; }

std::vector<uint8_t> legacyLogHeader(uint16_t tpmAlg, uint16_t digestSize) {
  std::vector<uint8_t> e;
  le32(e, 0);  // PCR index
  le32(e, kEvNoAction);
  e.insert(e.end(), 20, 0);  // TPM 1.2 digest, zero
  le32(e, kTcgLogDescriptorSize);
  static const char kSig[16] = "FRMT ID EVENT00";  // 15 characters and the NUL
  e.insert(e.end(), kSig, kSig + 16);
  le32(e, kTcgLogDescriptorRevision);
  le32(e, legacyDigestAlgId(tpmAlg).value_or(0));
  le32(e, digestSize);
  return e;
}

std::vector<uint8_t> legacyEvent(uint32_t pcr, uint32_t eventType, std::span<const uint8_t> digest,
                                 std::span<const uint8_t> data) {
  std::vector<uint8_t> e;
  le32(e, pcr);
  le32(e, eventType);
  e.insert(e.end(), digest.begin(), digest.end());
  le32(e, uint32_t(data.size()));
  e.insert(e.end(), data.begin(), data.end());
  return e;
}

}  // namespace dlsim::txt::measure
