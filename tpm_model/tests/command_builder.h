// Test helper: builds TPM 2.0 command bytes by hand (independently of the
// engine's own writer) and picks apart responses.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::tpm::test {

using Bytes = std::vector<uint8_t>;

inline void be16(Bytes& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
inline void be32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
}

// A command: handles, optional password sessions (one per auth handle), params.
struct Cmd {
  Cmd(uint32_t c, std::vector<uint32_t> h, int pw, Bytes password_, Bytes params_)
      : cc(c), handles(std::move(h)), pwSessions(pw), password(std::move(password_)), params(std::move(params_)) {}
  uint32_t cc;
  std::vector<uint32_t> handles;
  int pwSessions = 0;  // number of empty-password TPM_RS_PW sessions
  Bytes password;      // used for every session
  Bytes params;
  Bytes rawAuth;  // when set: the whole authorization area (sessions), size added here

  Bytes build() const {
    Bytes b;
    be16(b, (pwSessions || !rawAuth.empty()) ? 0x8002 : 0x8001);
    be32(b, 0);
    be32(b, cc);
    for (uint32_t h : handles) be32(b, h);
    if (!rawAuth.empty()) {
      be32(b, uint32_t(rawAuth.size()));
      b.insert(b.end(), rawAuth.begin(), rawAuth.end());
    } else if (pwSessions) {
      be32(b, uint32_t(pwSessions * (9 + password.size())));
      for (int i = 0; i < pwSessions; ++i) {
        be32(b, 0x40000009);
        be16(b, 0);
        b.push_back(0);
        be16(b, uint16_t(password.size()));
        b.insert(b.end(), password.begin(), password.end());
      }
    }
    b.insert(b.end(), params.begin(), params.end());
    uint32_t n = uint32_t(b.size());
    for (int i = 0; i < 4; ++i) b[2 + i] = uint8_t(n >> (24 - 8 * i));
    return b;
  }
};

inline uint32_t rcOf(const Bytes& r) {
  if (r.size() < 10) return 0xFFFFFFFF;
  return (uint32_t(r[6]) << 24) | (uint32_t(r[7]) << 16) | (uint32_t(r[8]) << 8) | r[9];
}

inline Bytes startupClear() { return Cmd{0x144, {}, 0, {}, {0, 0}}.build(); }

inline Bytes pcrExtend(uint32_t pcr, const std::vector<std::pair<uint16_t, Bytes>>& digests) {
  Cmd c{0x182, {pcr}, 1, {}, {}};
  be32(c.params, uint32_t(digests.size()));
  for (const auto& [alg, d] : digests) {
    be16(c.params, alg);
    c.params.insert(c.params.end(), d.begin(), d.end());
  }
  return c.build();
}

inline Bytes pcrReset(uint32_t pcr) { return Cmd{0x13D, {pcr}, 1, {}, {}}.build(); }

inline Bytes pcrEvent(uint32_t pcr, const Bytes& data) {
  Cmd c{0x13C, {pcr}, 1, {}, {}};
  be16(c.params, uint16_t(data.size()));
  c.params.insert(c.params.end(), data.begin(), data.end());
  return c.build();
}

// PCR_Read of one PCR in one bank.
inline Bytes pcrRead(uint16_t alg, unsigned pcr) {
  Cmd c{0x17E, {}, 0, {}, {}};
  be32(c.params, 1);
  be16(c.params, alg);
  c.params.push_back(3);
  uint8_t sel[3] = {0, 0, 0};
  sel[pcr / 8] = uint8_t(1u << (pcr % 8));
  c.params.insert(c.params.end(), sel, sel + 3);
  return c.build();
}

inline Bytes unhex(const std::string& s) {
  Bytes b;
  std::string t;
  for (char ch : s)
    if (isxdigit(static_cast<unsigned char>(ch))) t += ch;
  for (size_t i = 0; i + 1 < t.size(); i += 2) b.push_back(uint8_t(std::stoi(t.substr(i, 2), nullptr, 16)));
  return b;
}

}  // namespace dlsim::tpm::test
