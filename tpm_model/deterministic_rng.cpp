// Counter-mode SHA-256 stream for TPM2_GetRandom (see deterministic_rng.h).
#include "tpm_model/deterministic_rng.h"

#include <botan/hash.h>

namespace dlsim::tpm {

std::vector<uint8_t> DeterministicRng::next(size_t n) {
  while (pending_.size() < n) {
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    uint8_t block[16];
    for (int i = 0; i < 8; ++i) {
      block[i] = uint8_t(seed_ >> (8 * i));
      block[8 + i] = uint8_t(counter_ >> (8 * i));
    }
    ++counter_;
    h->update(block, sizeof(block));
    auto d = h->final();
    pending_.insert(pending_.end(), d.begin(), d.end());
  }
  std::vector<uint8_t> out(pending_.begin(), pending_.begin() + n);
  pending_.erase(pending_.begin(), pending_.begin() + n);
  return out;
}

}  // namespace dlsim::tpm
