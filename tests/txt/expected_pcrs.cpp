#include "tests/txt/expected_pcrs.h"

#include <botan/hash.h>

#include <cstdio>

namespace txtcheck {

const char* bankName(Bank bank) { return bank == Bank::kSha1 ? "sha1" : "sha256"; }

size_t digestSize(Bank bank) { return bank == Bank::kSha1 ? 20 : 32; }

Bytes hashOf(Bank bank, std::span<const uint8_t> data) {
  auto h = Botan::HashFunction::create_or_throw(bank == Bank::kSha1 ? "SHA-1" : "SHA-256");
  h->update(data.data(), data.size());
  const auto out = h->final();
  return Bytes(out.begin(), out.end());
}

Bytes extend(Bank bank, std::span<const uint8_t> old, std::span<const uint8_t> digest) {
  if (old.size() != digestSize(bank) || digest.size() != digestSize(bank)) {
    throw CalcError(std::string("extend: ") + bankName(bank) + " needs " +
                    std::to_string(digestSize(bank)) + "-byte values");
  }
  Bytes both(old.begin(), old.end());
  both.insert(both.end(), digest.begin(), digest.end());
  return hashOf(bank, both);
}

std::string toHex(std::span<const uint8_t> bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 0xF];
  }
  return s;
}

Bytes le32(uint32_t v) {
  return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
}

Bytes le64(uint64_t v) {
  Bytes b = le32(uint32_t(v));
  const Bytes hi = le32(uint32_t(v >> 32));
  b.insert(b.end(), hi.begin(), hi.end());
  return b;
}

namespace {

uint32_t readLe32(std::span<const uint8_t> b, size_t off) {
  return uint32_t(b[off]) | uint32_t(b[off + 1]) << 8 | uint32_t(b[off + 2]) << 16 |
         uint32_t(b[off + 3]) << 24;
}

}  // namespace

Bytes acmDigestInput(std::span<const uint8_t> module) {
  // Fields read: HeaderLen at 0x04, Size at 0x18, ScratchSize at 0x7C.
  if (module.size() < 0x80) {
    throw CalcError("ACM: " + std::to_string(module.size()) + " bytes, shorter than its 0x80-byte header");
  }
  const uint64_t headerLen = readLe32(module, 0x04);
  const uint64_t sizeBytes = uint64_t(readLe32(module, 0x18)) * 4;
  const uint64_t scratch = readLe32(module, 0x7C);
  const uint64_t userStart = (headerLen + scratch) * 4;
  if (sizeBytes > module.size()) {
    throw CalcError("ACM: Size (0x18) says " + std::to_string(sizeBytes) + " bytes, the file has " +
                    std::to_string(module.size()));
  }
  if (userStart < 0x80 || userStart >= sizeBytes) {
    throw CalcError("ACM: (HeaderLen + ScratchSize) * 4 = " + std::to_string(userStart) +
                    " leaves no user area before Size * 4 = " + std::to_string(sizeBytes));
  }
  Bytes input(module.begin(), module.begin() + 0x80);
  input.insert(input.end(), module.begin() + userStart, module.begin() + sizeBytes);
  return input;
}

Bytes hashStartData(const LaunchInputs& in) {
  Bytes data = hashOf(in.acmDigestBank, acmDigestInput(in.acm));
  const Bytes edx = le32(in.senterEdx);
  data.insert(data.end(), edx.begin(), edx.end());
  return data;
}

std::vector<Measurement> sinitMeasurements(const LaunchInputs& in) {
  // Spec section 7: OSSINITDATA_CAP_HASH = H(LE32 caps); STM and LCP digests
  // with nothing present = H(0x00); CPU_SCRTM_STAT = H(LE32 status).
  const Bytes nothing{0x00};
  const Bytes caps = le32(in.osSinitCaps);
  std::vector<Measurement> m;
  if (in.mapping == Mapping::kDetailsAuthorities) {
    m.push_back({17, "CPU_SCRTM_STAT", le32(1)});
    m.push_back({17, "LCP_DETAILS_HASH", nothing});
    m.push_back({17, "STM_HASH", nothing});
    m.push_back({17, "OSSINITDATA_CAP_HASH", caps});
    m.push_back({17, "MLE_HASH", in.mle});
    m.push_back({18, "CPU_SCRTM_STAT", le32(1)});
    m.push_back({18, "OSSINITDATA_CAP_HASH", caps});
    m.push_back({18, "LCP_AUTHORITIES_HASH", nothing});
  } else {
    m.push_back({18, "MLE_HASH", in.mle});
  }
  return m;
}

PcrPair afterHashEnd(Bank bank, const LaunchInputs& in) {
  const Bytes zero(digestSize(bank), 0);
  return {extend(bank, zero, hashOf(bank, hashStartData(in))), zero};
}

PcrPair launchPcrs(Bank bank, const LaunchInputs& in) {
  PcrPair p = afterHashEnd(bank, in);
  for (const Measurement& m : sinitMeasurements(in)) {
    Bytes& pcr = m.pcr == 17 ? p.pcr17 : p.pcr18;
    pcr = extend(bank, pcr, hashOf(bank, m.data));
  }
  return p;
}

}  // namespace txtcheck
