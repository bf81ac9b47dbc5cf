// The MLE measurement: each TPM bank's hash of the MLESize bytes the page
// tables map, in linear order (spec §4; flihp/pcr-calc hashes the same
// bytes). Banks by TPM_ALG_ID: SHA-1 0x0004, SHA-256 0x000B, SHA-384 0x000C,
// SHA-512 0x000D, SM3-256 0x0012 (Botan 2 has all five).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "txt_model/mle/mle_page_walk.h"

namespace dlsim::txt::mle {

// Botan's name for a TPM hash algorithm, or nullptr when dlsim has none.
const char* botanHashName(uint16_t tpmAlg);

// nullopt when the walk failed, the bank is unknown, or a byte is unreadable.
std::optional<std::vector<uint8_t>> mleDigest(const PhysReader& mem, const MleWalk& walk, uint16_t tpmAlg);

}  // namespace dlsim::txt::mle
