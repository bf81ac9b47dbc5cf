// The TPM's random number generator: SHA-256 in counter mode over a seed from
// the scenario, so GetRandom output is a pure function of (seed, call order).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace dlsim::tpm {

class DeterministicRng {
 public:
  explicit DeterministicRng(uint64_t seed) : seed_(seed) {}
  // Next n bytes of the stream SHA-256(seed_le64 || counter_le64) blocks.
  std::vector<uint8_t> next(size_t n);

  // Position in the stream, for engine snapshots: blocks drawn so far and
  // the drawn but unused bytes of the last block(s).
  uint64_t seed() const { return seed_; }
  uint64_t counter() const { return counter_; }
  const std::vector<uint8_t>& pending() const { return pending_; }
  void setPosition(uint64_t counter, std::vector<uint8_t> pending) {
    counter_ = counter;
    pending_ = std::move(pending);
  }

 private:
  uint64_t seed_;
  uint64_t counter_ = 0;
  std::vector<uint8_t> pending_;
};

}  // namespace dlsim::tpm
