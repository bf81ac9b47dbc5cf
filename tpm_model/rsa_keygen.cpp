// RSA key generation from a KDFa stream, with the in-process cache (see
// rsa_keygen.h).
#include "tpm_model/rsa_keygen.h"

#include <botan/bigint.h>
#include <botan/rsa.h>

#include <map>
#include <mutex>

#include "tpm_model/tpm_kdf.h"

namespace dlsim::tpm {
namespace {

constexpr size_t kCacheEntries = 64;

std::mutex g_mutex;
std::map<std::vector<uint8_t>, RsaKeyMaterial> g_cache;
uint64_t g_generated = 0;

std::vector<uint8_t> fixed(const Botan::BigInt& v, size_t bytes) {
  auto b = Botan::BigInt::encode_1363(v, bytes);
  return std::vector<uint8_t>(b.begin(), b.end());
}

}  // namespace

RsaKeyMaterial generateRsaKey(std::span<const uint8_t> keySeed, uint16_t bits, uint32_t exponent) {
  uint32_t e = exponent == 0 ? 65537 : exponent;
  if (e < 3 || (e & 1) == 0) return {};
  std::vector<uint8_t> key(keySeed.begin(), keySeed.end());
  key.push_back(uint8_t(bits >> 8));
  key.push_back(uint8_t(bits));
  for (int i = 24; i >= 0; i -= 8) key.push_back(uint8_t(e >> i));
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_cache.find(key);
    if (it != g_cache.end()) return it->second;
  }
  KdfRng rng(key, "dlsim RSA key", {});
  Botan::RSA_PrivateKey k(rng, bits, e);
  RsaKeyMaterial m{fixed(k.get_n(), bits / 8), fixed(k.get_p(), bits / 16)};
  std::lock_guard<std::mutex> lock(g_mutex);
  ++g_generated;
  if (g_cache.size() >= kCacheEntries) g_cache.erase(g_cache.begin());
  g_cache.emplace(std::move(key), m);
  return m;
}

uint64_t rsaKeysGenerated() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_generated;
}

}  // namespace dlsim::tpm
