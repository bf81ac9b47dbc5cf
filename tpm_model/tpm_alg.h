// TPM hash algorithm identifiers (TPM_ALG_ID) of the PCR banks dlsim models,
// with their digest sizes and Botan hash names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim::tpm {

namespace alg {
inline constexpr uint16_t kRsa = 0x0001;
inline constexpr uint16_t kSha1 = 0x0004;
inline constexpr uint16_t kHmac = 0x0005;
inline constexpr uint16_t kAes = 0x0006;
inline constexpr uint16_t kKeyedHash = 0x0008;
inline constexpr uint16_t kSha256 = 0x000B;
inline constexpr uint16_t kSha384 = 0x000C;
inline constexpr uint16_t kSha512 = 0x000D;
inline constexpr uint16_t kNull = 0x0010;
inline constexpr uint16_t kSm3_256 = 0x0012;
inline constexpr uint16_t kEcc = 0x0023;
inline constexpr uint16_t kCfb = 0x0043;
}  // namespace alg

// Every hash algorithm dlsim's engine implements, in ascending TPM_ALG_ID order.
const std::vector<uint16_t>& supportedHashAlgs();
// Digest size in bytes, or nullopt when `id` is not an implemented hash.
std::optional<size_t> hashDigestSize(uint16_t id);
// Botan name ("SHA-256", "SM3"); throws InternalError for an unknown id.
std::string botanHashName(uint16_t id);
// Human-readable name for reports and messages ("sha256"); "0x…" if unknown.
std::string hashAlgName(uint16_t id);
// Parses "sha1", "sha256", "sha384", "sha512", "sm3_256" (also "sm3").
std::optional<uint16_t> hashAlgFromName(const std::string& name);
// One-shot digest with the algorithm `id`.
std::vector<uint8_t> digest(uint16_t id, const uint8_t* data, size_t n);

}  // namespace dlsim::tpm
