// KDFa and the KDFa-driven RNG (see tpm_kdf.h).
#include "tpm_model/tpm_kdf.h"

#include <botan/mac.h>

#include "sim/errors.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

void put32(Botan::MessageAuthenticationCode& m, uint32_t v) {
  uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
  m.update(b, 4);
}

std::unique_ptr<Botan::MessageAuthenticationCode> makeHmac(uint16_t hashAlg, std::span<const uint8_t> key) {
  auto m = Botan::MessageAuthenticationCode::create_or_throw("HMAC(" + botanHashName(hashAlg) + ")");
  m->set_key(key.data(), key.size());
  return m;
}

}  // namespace

std::vector<uint8_t> kdfa(uint16_t hashAlg, std::span<const uint8_t> key, const std::string& label,
                          std::span<const uint8_t> contextU, std::span<const uint8_t> contextV, uint32_t bits) {
  auto m = makeHmac(hashAlg, key);
  size_t bytes = (size_t(bits) + 7) / 8;
  std::vector<uint8_t> out;
  for (uint32_t i = 1; out.size() < bytes; ++i) {
    put32(*m, i);
    m->update(reinterpret_cast<const uint8_t*>(label.data()), label.size());
    m->update(uint8_t(0));
    m->update(contextU.data(), contextU.size());
    m->update(contextV.data(), contextV.size());
    put32(*m, bits);
    auto block = m->final();
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(bytes);
  if (bits % 8) out[0] &= uint8_t((1u << (bits % 8)) - 1);
  return out;
}

std::vector<uint8_t> hmac(uint16_t hashAlg, std::span<const uint8_t> key,
                          std::initializer_list<std::span<const uint8_t>> parts) {
  auto m = makeHmac(hashAlg, key);
  for (auto p : parts) m->update(p.data(), p.size());
  auto d = m->final();
  return std::vector<uint8_t>(d.begin(), d.end());
}

KdfRng::KdfRng(std::vector<uint8_t> key, std::string label, std::vector<uint8_t> context)
    : key_(std::move(key)), label_(std::move(label)), context_(std::move(context)) {}

void KdfRng::randomize(uint8_t output[], size_t length) {
  while (pending_.size() < length) {
    ++counter_;
    if (counter_ == 0) throw InternalError("tpm: KDFa random stream exhausted");
    uint8_t c[4] = {uint8_t(counter_ >> 24), uint8_t(counter_ >> 16), uint8_t(counter_ >> 8), uint8_t(counter_)};
    auto block = hmac(0x000B, key_,
                      {std::span<const uint8_t>(c, 4),
                       std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(label_.data()), label_.size() + 1),
                       context_});
    pending_.insert(pending_.end(), block.begin(), block.end());
  }
  std::copy(pending_.begin(), pending_.begin() + std::ptrdiff_t(length), output);
  pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(length));
}

}  // namespace dlsim::tpm
