// Hash algorithm table for the PCR banks: TPM_ALG_ID <-> size <-> Botan name.
#include "tpm_model/tpm_alg.h"

#include <botan/hash.h>

#include "sim/errors.h"

namespace dlsim::tpm {
namespace {

struct HashInfo {
  uint16_t id;
  size_t size;
  const char* botan;
  const char* name;
};

constexpr HashInfo kHashes[] = {
    {alg::kSha1, 20, "SHA-1", "sha1"},
    {alg::kSha256, 32, "SHA-256", "sha256"},
    {alg::kSha384, 48, "SHA-384", "sha384"},
    {alg::kSha512, 64, "SHA-512", "sha512"},
    {alg::kSm3_256, 32, "SM3", "sm3_256"},
};

const HashInfo* find(uint16_t id) {
  for (const auto& h : kHashes)
    if (h.id == id) return &h;
  return nullptr;
}

}  // namespace

const std::vector<uint16_t>& supportedHashAlgs() {
  static const std::vector<uint16_t> ids = [] {
    std::vector<uint16_t> v;
    for (const auto& h : kHashes) v.push_back(h.id);
    return v;
  }();
  return ids;
}

std::optional<size_t> hashDigestSize(uint16_t id) {
  const HashInfo* h = find(id);
  if (!h) return std::nullopt;
  return h->size;
}

std::string botanHashName(uint16_t id) {
  const HashInfo* h = find(id);
  if (!h) throw InternalError("tpm: no Botan name for hash algorithm " + std::to_string(id));
  return h->botan;
}

std::string hashAlgName(uint16_t id) {
  const HashInfo* h = find(id);
  if (h) return h->name;
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) s += digits[(id >> shift) & 0xF];
  return s;
}

std::optional<uint16_t> hashAlgFromName(const std::string& name) {
  if (name == "sm3") return alg::kSm3_256;
  for (const auto& h : kHashes)
    if (name == h.name) return h.id;
  return std::nullopt;
}

std::vector<uint8_t> digest(uint16_t id, const uint8_t* data, size_t n) {
  auto h = Botan::HashFunction::create_or_throw(botanHashName(id));
  h->update(data, n);
  auto out = h->final();
  return std::vector<uint8_t>(out.begin(), out.end());
}

}  // namespace dlsim::tpm
