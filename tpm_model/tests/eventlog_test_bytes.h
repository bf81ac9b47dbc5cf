// Test helpers for the event-log tests: hand-assembled little-endian bytes
// and Botan digests, so expected values never come from the code under test.
#pragma once
#include <botan/hash.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::tpm::evlog::testing {

struct Bytes {
  std::vector<uint8_t> b;
  Bytes& u8(uint8_t v) {
    b.push_back(v);
    return *this;
  }
  Bytes& u16(uint16_t v) {
    b.push_back(v & 0xFF);
    b.push_back(v >> 8);
    return *this;
  }
  Bytes& u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  Bytes& u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  Bytes& raw(const std::vector<uint8_t>& v) {
    b.insert(b.end(), v.begin(), v.end());
    return *this;
  }
  Bytes& str(const std::string& s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& zeros(size_t n) {
    b.insert(b.end(), n, 0);
    return *this;
  }
  size_t size() const { return b.size(); }
};

inline std::vector<uint8_t> bytesOf(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

inline std::vector<uint8_t> botanHash(const std::string& name, const std::vector<uint8_t>& data) {
  auto h = Botan::HashFunction::create_or_throw(name);
  h->update(data.data(), data.size());
  auto out = h->final();
  return std::vector<uint8_t>(out.begin(), out.end());
}

inline std::vector<uint8_t> concat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline std::string toHex(const std::vector<uint8_t>& v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t x : v) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

// The 32-byte TCG_PCR_EVENT header of a Spec ID event plus its data, by hand:
// banks {alg, size}..., no vendor info unless given.
inline Bytes specIdHeader(const std::vector<std::pair<uint16_t, uint16_t>>& banks,
                          const std::vector<uint8_t>& vendor = {}) {
  Bytes data;
  data.str("Spec ID Event03").u8(0);
  data.u32(0).u8(0).u8(2).u8(0).u8(2).u32(static_cast<uint32_t>(banks.size()));
  for (auto [alg, size] : banks) data.u16(alg).u16(size);
  data.u8(static_cast<uint8_t>(vendor.size())).raw(vendor);
  Bytes ev;
  ev.u32(0).u32(3).zeros(20).u32(static_cast<uint32_t>(data.size())).raw(data.b);
  return ev;
}

}  // namespace dlsim::tpm::evlog::testing
