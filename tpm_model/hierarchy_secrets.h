// Per-hierarchy secrets of dlsim's engine: the primary seeds (from which
// primary objects are derived, Part 1 §14.3) and the proof values (the HMAC
// keys of tickets and saved contexts). All are functions of the scenario RNG
// seed; the NULL hierarchy's also of the TPM Reset count, so they change at
// each TPM Reset as Part 1 §14.4 asks.
#pragma once
#include <cstdint>
#include <vector>

#include "tpm_model/tpm_state.h"

namespace dlsim::tpm {

// 64-byte primary seed of OWNER, ENDORSEMENT, PLATFORM or NULL.
std::vector<uint8_t> primarySeed(const TpmState& st, uint32_t hierarchy);
// 64-byte proof value of a hierarchy.
std::vector<uint8_t> hierarchyProof(const TpmState& st, uint32_t hierarchy);

// HMAC hash of tickets: the largest implemented hash other than SM3
// (SHA-512 by default, as libtpms).
uint16_t ticketHashAlg(const TpmState& st);

}  // namespace dlsim::tpm
