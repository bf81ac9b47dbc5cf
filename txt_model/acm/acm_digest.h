// The ACM digest GETSEC[SENTER] (and ENTERACCS) measure: the header fields
// 0x00-0x7F, then the user area from (HeaderLen + ScratchSize) * 4 to
// Size*4; the RSA key, exponent, signature and scratch area are left out
// (Intel MLE developer's guide appendix A.1.2, as flihp/pcr-calc's
// sinithash computes it; for header 0.0 the user area starts at 0x4C0).
// SHA-256 for SinitMleData version 7 and later, SHA-1 before.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "txt_model/acm/acm_header.h"

namespace dlsim::txt {

// The hashed bytes, in order. `module` holds at least Size*4 bytes (as
// parseAcmHeader checked).
std::vector<uint8_t> acmDigestInput(std::span<const uint8_t> module, const AcmHeader& header);

// Their hash with `botanHashName` ("SHA-256", "SHA-1", "SHA-384"...).
std::vector<uint8_t> acmDigest(std::span<const uint8_t> module, const AcmHeader& header,
                               const std::string& botanHashName = "SHA-256");

// Whether the module's signature verifies under the key its header carries
// (exponent 65537 where header 3.0 has no exponent field): RSASSA-PKCS1-v1_5
// SHA-256 over acmDigestInput (acm_signing_key.h), as GETSEC[ENTERACCS] and
// the SINIT model authenticate a module. Which key may sign is the caller's
// check (txtPublicKeyHash against TXT.PUBLIC.KEY).
bool acmSignatureVerifies(std::span<const uint8_t> module, const AcmHeader& header);

}  // namespace dlsim::txt
