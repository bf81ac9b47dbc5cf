// Protection of an object's sensitive area under its storage parent (Part 1
// §23.3 / §24: AES-CFB with KDFa(parent nameAlg, parent seedValue, "STORAGE",
// name), outer HMAC with KDFa(..., "INTEGRITY", ...) over encSensitive ||
// name) and of saved contexts (Part 1 §30: HMAC with the hierarchy proof over
// the reset count, sequence, saved handle and encrypted context; AES-256-CFB
// with key and IV from KDFa(SHA-256, proof, "CONTEXT", sequence, handle)).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "tpm_model/object_store.h"
#include "tpm_model/tpm_state.h"

namespace dlsim::tpm {

// TPM2B_PRIVATE buffer (without its size): TPM2B_DIGEST outerHMAC ||
// TPM2B_IV (16 bytes, in clear) || encrypted TPM2B_SENSITIVE; the HMAC covers
// the IV, the encrypted area and the name. (The reference implementation
// and libtpms carry the IV the same way, so the sizes match.)
std::vector<uint8_t> wrapSensitive(const TpmObject& parent, std::span<const uint8_t> name, const SensitiveArea& s,
                                   std::span<const uint8_t> iv);
// Checks and decrypts; throws TpmError (no position): TPM_RC_INSUFFICIENT /
// TPM_RC_SIZE for a blob too short for its integrity, TPM_RC_INTEGRITY when
// the HMAC differs, TPM_RC_VALUE for an IV that is not one AES block,
// TPM_RC_SENSITIVE when the decrypted area does not parse.
SensitiveArea unwrapSensitive(const TpmObject& parent, std::span<const uint8_t> name, std::span<const uint8_t> priv);

// Context integrity and encryption (contextBlob = TPM2B_DIGEST integrity ||
// encrypted data). The HMAC uses SHA-512, so the integrity is 64 bytes.
std::vector<uint8_t> protectContext(const TpmState& st, uint32_t hierarchy, uint64_t sequence, uint32_t savedHandle,
                                    std::span<const uint8_t> plain);
// Throws TpmError(TPM_RC_SIZE) when the blob is shorter than its integrity
// (as libtpms, the caller reports it without a parameter number),
// TpmError(TPM_RC_INTEGRITY) when the HMAC differs.
std::vector<uint8_t> unprotectContext(const TpmState& st, uint32_t hierarchy, uint64_t sequence, uint32_t savedHandle,
                                      std::span<const uint8_t> blob);

}  // namespace dlsim::tpm
