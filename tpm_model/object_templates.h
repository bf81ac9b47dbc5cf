// TPMT_PUBLIC and TPMT_SENSITIVE (TPM 2.0 Part 2 §12.2, §12.3) as the engine
// keeps them, with their unmarshal (the response code the spec's unmarshal
// gives for each bad field, without position) and marshal, and object names
// (nameAlg || H_nameAlg(marshaled TPMT_PUBLIC)). All sizes are bounded.
#pragma once
#include <cstdint>
#include <vector>

#include "tpm_model/tpm_wire.h"

namespace dlsim::tpm {

// TPMA_OBJECT bits.
namespace oa {
inline constexpr uint32_t kFixedTpm = 1u << 1;
inline constexpr uint32_t kStClear = 1u << 2;
inline constexpr uint32_t kFixedParent = 1u << 4;
inline constexpr uint32_t kSensitiveDataOrigin = 1u << 5;
inline constexpr uint32_t kUserWithAuth = 1u << 6;
inline constexpr uint32_t kAdminWithPolicy = 1u << 7;
inline constexpr uint32_t kNoDa = 1u << 10;
inline constexpr uint32_t kEncryptedDuplication = 1u << 11;
inline constexpr uint32_t kRestricted = 1u << 16;
inline constexpr uint32_t kDecrypt = 1u << 17;
inline constexpr uint32_t kSign = 1u << 18;
inline constexpr uint32_t kX509Sign = 1u << 19;
// Bits 0, 3, 8-9, 12-15, 20-31.
inline constexpr uint32_t kReserved = 0xFFF0F309;
}  // namespace oa

// Sizes of the TPM2B buffers (libtpms 0.9.2's build: RSA up to 3072 bits,
// ECC parameters up to BN P638).
inline constexpr size_t kMaxDigest = 64;       // sizeof(TPMU_HA)
inline constexpr size_t kMaxRsaKeyBytes = 384;  // TPM2B_PUBLIC_KEY_RSA
inline constexpr size_t kMaxRsaPrime = kMaxRsaKeyBytes / 2;
inline constexpr size_t kMaxEccParam = 80;      // TPM2B_ECC_PARAMETER
inline constexpr size_t kMaxSymData = 128;      // TPM2B_SENSITIVE_DATA (MAX_SYM_DATA)

// TPMT_SYM_DEF_OBJECT (algorithm TPM_ALG_NULL: no key bits, no mode).
struct SymDef {
  uint16_t alg = 0x0010;
  uint16_t keyBits = 0;
  uint16_t mode = 0;
  bool operator==(const SymDef&) const = default;
};

// A scheme with its details: TPMT_RSA_SCHEME, TPMT_ECC_SCHEME,
// TPMT_KEYEDHASH_SCHEME, TPMT_KDF_SCHEME (hashAlg; kdf for XOR; count for
// ECDAA). Which fields are on the wire depends on `alg`.
struct Scheme {
  uint16_t alg = 0x0010;
  uint16_t hashAlg = 0;
  uint16_t kdf = 0;
  uint16_t count = 0;
  bool operator==(const Scheme&) const = default;
};

struct PublicArea {
  uint16_t type = 0;
  uint16_t nameAlg = 0;
  uint32_t attributes = 0;
  std::vector<uint8_t> authPolicy;
  SymDef symmetric;   // RSA, ECC, SYMCIPHER
  Scheme scheme;      // RSA, ECC, KEYEDHASH
  uint16_t keyBits = 0;   // RSA
  uint32_t exponent = 0;  // RSA
  uint16_t curve = 0;     // ECC
  Scheme kdf;             // ECC
  std::vector<uint8_t> unique;   // KEYEDHASH/SYMCIPHER digest, RSA modulus, ECC x
  std::vector<uint8_t> uniqueY;  // ECC y
  bool operator==(const PublicArea&) const = default;

  bool has(uint32_t bit) const { return (attributes & bit) != 0; }
};

// TPMT_SENSITIVE. `secret` is the RSA prime p, the sealed data / HMAC key or
// the symmetric key, per sensitiveType.
struct SensitiveArea {
  uint16_t type = 0;
  std::vector<uint8_t> authValue;
  std::vector<uint8_t> seedValue;
  std::vector<uint8_t> secret;
  bool operator==(const SensitiveArea&) const = default;
};

// TPMT_PUBLIC; TpmError carries the unmarshal code (TPM_RC_TYPE, _HASH,
// _RESERVED_BITS, _SYMMETRIC, _MODE, _VALUE, _SCHEME, _CURVE, _KDF, _SIZE,
// _INSUFFICIENT). nameAlg may be TPM_ALG_NULL (TPMI_ALG_HASH+).
PublicArea readPublic(WireReader& in, const std::vector<uint16_t>& hashAlgs);
// TPM2B_PUBLIC: size 0 or a size that differs from what TPMT_PUBLIC used is
// TPM_RC_SIZE.
PublicArea readPublic2b(WireReader& in, const std::vector<uint16_t>& hashAlgs);
void writePublic(WireWriter& w, const PublicArea& p);
std::vector<uint8_t> marshalPublic(const PublicArea& p);

SensitiveArea readSensitive(WireReader& in);
std::vector<uint8_t> marshalSensitive(const SensitiveArea& s);

// TPM2B_NAME of an object: nameAlg || H_nameAlg(marshalPublic(p)).
std::vector<uint8_t> objectName(const PublicArea& p);

}  // namespace dlsim::tpm
