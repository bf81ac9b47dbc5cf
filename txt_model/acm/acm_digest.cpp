// The ACM digest (acm_digest.h).
#include "txt_model/acm/acm_digest.h"

#include <botan/hash.h>

namespace dlsim::txt {

std::vector<uint8_t> acmDigestInput(std::span<const uint8_t> module, const AcmHeader& header) {
  std::vector<uint8_t> out(module.begin(), module.begin() + kAcmHashedHeaderBytes);
  auto user = module.subspan(header.userAreaOffset(), header.sizeBytes() - header.userAreaOffset());
  out.insert(out.end(), user.begin(), user.end());
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

}  // namespace dlsim::txt
