// The key dlsim signs its simulated ACMs with, and what a platform's
// TXT.PUBLIC.KEY register holds for it. One fixed RSA-2048 key (exponent
// 17) for every profile, as one Intel production key signs the SINITs of a
// processor generation: generated once with Botan 2 (HMAC_DRBG(SHA-256)
// seeded with "dlsim simulated ACM signing key, version 1") and kept as its
// primes, so nothing random or slow runs when a scenario starts.
// It is a test key: its private half is public in this repository.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace dlsim::txt {

constexpr uint32_t kAcmSigningKeyExponent = 17;

// The modulus, 256 bytes little-endian (as an ACM header stores it).
std::vector<uint8_t> acmSigningKeyModulusLe();

// RSASSA-PKCS1-v1_5 with SHA-256 over `message`; 256 bytes little-endian
// (as an ACM header stores the signature).
std::vector<uint8_t> acmSign(std::span<const uint8_t> message);

// Whether `signatureLe` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of
// `message` under the key with little-endian modulus `modulusLe` and
// `exponent` (how the SINIT model checks an ACM).
bool acmVerifySignature(std::span<const uint8_t> modulusLe, uint32_t exponent, std::span<const uint8_t> message,
                        std::span<const uint8_t> signatureLe);

// TXT.PUBLIC.KEY (0x400-0x41F) for a signing key: SHA-256 of the modulus
// bytes as the ACM header stores them. (The MLE developer's guide calls the
// register the hash of the ACM signing key; the byte order hashed is not
// verified against a real platform: docs/txt-profiles.md.)
std::array<uint8_t, 32> txtPublicKeyHash(std::span<const uint8_t> modulusLe);

// The register value for dlsim's simulated ACMs.
std::array<uint8_t, 32> dlsimTxtPublicKey();

}  // namespace dlsim::txt
