#include "txt_model/measure/tpm2_launch_commands.h"

namespace dlsim::txt::measure {
namespace {

void be16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
void be32(std::vector<uint8_t>& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
}
void setSize(std::vector<uint8_t>& b) {
  uint32_t n = uint32_t(b.size());
  for (int i = 0; i < 4; ++i) b[2 + i] = uint8_t(n >> (24 - 8 * i));
}

constexpr uint16_t kStNoSessions = 0x8001, kStSessions = 0x8002;
constexpr uint32_t kRsPw = 0x40000009;

}  // namespace

std::vector<uint8_t> pcrExtendCommand(uint32_t pcr, const std::vector<BankDigest>& digests) {
  std::vector<uint8_t> b;
  be16(b, kStSessions);
  be32(b, 0);
  be32(b, kTpmCcPcrExtend);
  be32(b, pcr);  // PCR handle = index
  be32(b, 9);    // authorization area: one password session, empty password
  be32(b, kRsPw);
  be16(b, 0);    // nonce
  b.push_back(0);  // session attributes
  be16(b, 0);    // hmac (password)
  be32(b, uint32_t(digests.size()));  // TPML_DIGEST_VALUES
  for (const auto& d : digests) {
    be16(b, d.alg);
    b.insert(b.end(), d.digest.begin(), d.digest.end());
  }
  setSize(b);
  return b;
}

std::vector<uint8_t> getCapabilityPcrsCommand() {
  std::vector<uint8_t> b;
  be16(b, kStNoSessions);
  be32(b, 0);
  be32(b, kTpmCcGetCapability);
  be32(b, kTpmCapPcrs);
  be32(b, 0);  // property
  be32(b, 1);  // propertyCount
  setSize(b);
  return b;
}

uint32_t tpmResponseCode(std::span<const uint8_t> r) {
  if (r.size() < 10) return 0xFFFFFFFFu;
  return (uint32_t(r[6]) << 24) | (uint32_t(r[7]) << 16) | (uint32_t(r[8]) << 8) | r[9];
}

// Response: header (10), moreData (1), capability (4) = TPM_CAP_PCRS,
// TPML_PCR_SELECTION: count (4), {hash (2), sizeofSelect (1), pcrSelect}.
std::optional<std::vector<uint16_t>> banksWithPcr(std::span<const uint8_t> r, unsigned pcr) {
  size_t at = 10;
  auto need = [&](size_t n) { return at <= r.size() && n <= r.size() - at; };
  auto get = [&](size_t n) {
    uint32_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | r[at + i];
    at += n;
    return v;
  };
  if (tpmResponseCode(r) != 0 || !need(1 + 4 + 4)) return std::nullopt;
  get(1);
  if (get(4) != kTpmCapPcrs) return std::nullopt;
  uint32_t count = get(4);
  std::vector<uint16_t> banks;
  for (uint32_t i = 0; i < count; ++i) {
    if (!need(3)) return std::nullopt;
    uint16_t alg = uint16_t(get(2));
    uint32_t n = get(1);
    if (!need(n)) return std::nullopt;
    bool selected = pcr / 8 < n && (r[at + pcr / 8] >> (pcr % 8)) & 1;
    at += n;
    if (selected) banks.push_back(alg);
  }
  return banks;
}

}  // namespace dlsim::txt::measure
