// The ACM digest (acm_digest.h).
#include "txt_model/acm/acm_digest.h"

#include <algorithm>
#include <cstddef>

#include <botan/hash.h>

#include "txt_model/acm/acm_signing_key.h"

namespace dlsim::txt {

std::vector<uint8_t> acmDigestInput(std::span<const uint8_t> module, const AcmHeader& header) {
  auto head = module.first(kAcmHashedHeaderBytes);
  auto user = module.subspan(header.userAreaOffset(), header.sizeBytes() - header.userAreaOffset());
  std::vector<uint8_t> out(head.size() + user.size());
  std::copy(head.begin(), head.end(), out.begin());
  std::copy(user.begin(), user.end(), out.begin() + static_cast<std::ptrdiff_t>(head.size()));
  return out;
}

std::vector<uint8_t> acmDigest(std::span<const uint8_t> module, const AcmHeader& header,
                               const std::string& botanHashName) {
  auto h = Botan::HashFunction::create_or_throw(botanHashName);
  h->update(module.data(), kAcmHashedHeaderBytes);
  h->update(module.data() + header.userAreaOffset(), header.sizeBytes() - header.userAreaOffset());
  auto d = h->final();
  return std::vector<uint8_t>(d.begin(), d.end());
}

bool acmSignatureVerifies(std::span<const uint8_t> module, const AcmHeader& header) {
  const uint32_t exponent = header.hasExponent ? header.rsaExponent : 65537;
  return acmVerifySignature(header.rsaPublicKey, exponent, acmDigestInput(module, header), header.rsaSignature);
}

}  // namespace dlsim::txt
