#include "tests/txt/expected_pcrs.h"

#include <botan/hash.h>

#include <algorithm>
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

Bytes acmPublicKeyModulus(std::span<const uint8_t> module) {
  // KeySize (0x78) in dwords; the modulus follows the header at 0x80.
  if (module.size() < 0x80) {
    throw CalcError("ACM: " + std::to_string(module.size()) + " bytes, shorter than its 0x80-byte header");
  }
  const uint64_t keyBytes = uint64_t(readLe32(module, 0x78)) * 4;
  if (keyBytes == 0 || keyBytes > module.size() - 0x80) {
    throw CalcError("ACM: KeySize (0x78) * 4 = " + std::to_string(keyBytes) + " bytes of key do not fit after 0x80");
  }
  return Bytes(module.begin() + 0x80, module.begin() + 0x80 + keyBytes);
}

std::vector<Measurement> sinitMeasurements(const LaunchInputs& in) {
  // docs/txt-measurements.md "The events and their order", which follows
  // spec section 7 and names its choices for the inputs section 7 leaves
  // UNVERIFIED: BIOSAC_REG_DATA, NV_INFO_HASH and the absent LCP/STM
  // digests hash the single byte 0x00, CPU_SCRTM_STAT hashes LE32 1,
  // OSSINITDATA_CAP_HASH LE32 caps, SINIT_PUBKEY_HASH the ACM's RSA modulus
  // as stored, MLE_HASH the MLE bytes.
  const Bytes none{0x00};
  const Bytes caps = le32(in.osSinitCaps);
  const Bytes scrtm = le32(1);
  std::vector<Measurement> m;
  if (in.mapping == Mapping::kDetailsAuthorities) {
    m.push_back({17, "BIOSAC_REG_DATA", none});
    m.push_back({17, "CPU_SCRTM_STAT", scrtm});
    m.push_back({17, "LCP_DETAILS_HASH", none});
    m.push_back({17, "STM_HASH", none});
    m.push_back({17, "OSSINITDATA_CAP_HASH", caps});
    m.push_back({17, "MLE_HASH", in.mle});
    m.push_back({17, "NV_INFO_HASH", none});
    m.push_back({18, "SINIT_PUBKEY_HASH", acmPublicKeyModulus(in.acm)});
    m.push_back({18, "CPU_SCRTM_STAT", scrtm});
    m.push_back({18, "OSSINITDATA_CAP_HASH", caps});
    m.push_back({18, "LCP_AUTHORITIES_HASH", none});
    m.push_back({18, "NV_INFO_HASH", none});
  } else {
    m.push_back({17, "BIOSAC_REG_DATA", none});
    m.push_back({17, "CPU_SCRTM_STAT", scrtm});
    m.push_back({17, "OSSINITDATA_CAP_HASH", caps});
    m.push_back({17, "LCP_CONTROL_HASH", none});
    m.push_back({17, "STM_HASH", none});
    m.push_back({18, "MLE_HASH", in.mle});
  }
  return m;
}

Mapping mappingFor(uint32_t osSinitCaps, TpmFamily family) {
  if (family == TpmFamily::kTpm20) return Mapping::kDetailsAuthorities;
  return (osSinitCaps & ((1u << 5) | (1u << 4))) != 0 ? Mapping::kDetailsAuthorities : Mapping::kLegacy;
}

long findMleHeader(std::span<const uint8_t> image) {
  static const uint8_t kUuid[16] = {0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74,
                                    0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42};
  for (size_t i = 0; i + sizeof kUuid <= image.size(); ++i) {
    if (std::equal(kUuid, kUuid + sizeof kUuid, image.begin() + i)) return long(i);
  }
  return -1;
}

Bytes mleFromImage(std::span<const uint8_t> image, size_t headerOffset, uint64_t headerBase) {
  if (headerOffset > image.size() || image.size() - headerOffset < 0x2C) {
    throw CalcError("MLE header at " + std::to_string(headerOffset) + ": the image ends inside it");
  }
  const uint64_t start = readLe32(image, headerOffset + 0x20), end = readLe32(image, headerOffset + 0x24);
  if (end <= start) {
    throw CalcError("MLE header: MleEndOffset " + std::to_string(end) + " is not past MleStartOffset " +
                    std::to_string(start));
  }
  if (headerBase > headerOffset) {
    throw CalcError("MLE header base " + std::to_string(headerBase) + " puts the MLE before the image");
  }
  const uint64_t base = headerOffset - headerBase, size = end - start;
  if (size > image.size() - base) {
    throw CalcError("MLE: " + std::to_string(size) + " bytes from image offset " + std::to_string(base) +
                    " run past the image's " + std::to_string(image.size()) + " bytes");
  }
  return Bytes(image.begin() + base, image.begin() + base + size);
}

uint32_t mleHeaderCapabilities(std::span<const uint8_t> image, size_t headerOffset) {
  if (headerOffset > image.size() || image.size() - headerOffset < 0x2C) {
    throw CalcError("MLE header at " + std::to_string(headerOffset) + ": the image ends inside it");
  }
  return readLe32(image, headerOffset + 0x28);
}

bool looksLikeAcm(std::span<const uint8_t> bytes) {
  return bytes.size() >= 0x80 && bytes[0] == 2 && bytes[1] == 0 && readLe32(bytes, 0x10) == 0x8086;
}

uint32_t acmInfoCapabilities(std::span<const uint8_t> module) {
  static const uint8_t kUuid[16] = {0xAA, 0x3A, 0xC0, 0x7F, 0xA7, 0x46, 0xDB, 0x18,
                                    0x2E, 0xAC, 0x69, 0x8F, 0x8D, 0x41, 0x7F, 0x5A};
  if (module.size() < 0x80) throw CalcError("ACM: shorter than its header");
  const uint64_t at = (uint64_t(readLe32(module, 0x04)) + readLe32(module, 0x7C)) * 4;
  if (at > module.size() || module.size() - at < 0x24 ||
      !std::equal(kUuid, kUuid + sizeof kUuid, module.begin() + at)) {
    throw CalcError("ACM: no information table (UUID) at (HeaderLen + ScratchSize) * 4 = " + std::to_string(at));
  }
  return readLe32(module, at + 0x20);
}

uint32_t tbootOsSinitCapabilities(uint32_t mleHeaderCaps, uint32_t sinitCaps) {
  constexpr uint32_t kWakeGetsec = 1u << 0, kWakeMonitor = 1u << 1, kEcxPgtbl = 1u << 2, kDa = 1u << 5,
                     kTcgLog = 1u << 9;
  uint32_t caps = mleHeaderCaps & ~(kWakeGetsec | kWakeMonitor | kDa | kTcgLog);
  caps |= (sinitCaps & kWakeMonitor) ? kWakeMonitor : kWakeGetsec;
  caps |= sinitCaps & kDa;
  caps |= sinitCaps & kTcgLog;
  if ((sinitCaps & kEcxPgtbl) == 0) caps &= ~kEcxPgtbl;
  return caps;
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
