// KDFa (TPM 2.0 Part 1 §11.4.10.2: SP800-108 counter mode with HMAC) and a
// Botan random number generator that draws from a KDFa stream, so key
// generation driven by it is a pure function of its key and context.
#pragma once
#include <botan/rng.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim::tpm {

// KDFa(hashAlg, key, label, contextU || contextV, bits): bits/8 bytes (bits
// rounded up to whole bytes; a partial last byte keeps its low bits, as the
// spec says). `label` is used with its terminating zero octet.
std::vector<uint8_t> kdfa(uint16_t hashAlg, std::span<const uint8_t> key, const std::string& label,
                          std::span<const uint8_t> contextU, std::span<const uint8_t> contextV, uint32_t bits);

// HMAC with the hash `hashAlg` (an implemented TPM hash).
std::vector<uint8_t> hmac(uint16_t hashAlg, std::span<const uint8_t> key,
                          std::initializer_list<std::span<const uint8_t>> parts);

// An endless KDFa(SHA-256, key, label, context) stream: block i is the HMAC
// of counter i. Never reseeds, never takes input.
class KdfRng final : public Botan::RandomNumberGenerator {
 public:
  KdfRng(std::vector<uint8_t> key, std::string label, std::vector<uint8_t> context);
  void randomize(uint8_t output[], size_t length) override;
  bool accepts_input() const override { return false; }
  void add_entropy(const uint8_t[], size_t) override {}
  std::string name() const override { return "dlsim-KDFa"; }
  void clear() override {}
  bool is_seeded() const override { return true; }

 private:
  std::vector<uint8_t> key_;
  std::string label_;
  std::vector<uint8_t> context_;
  uint32_t counter_ = 0;
  std::vector<uint8_t> pending_;
};

}  // namespace dlsim::tpm
