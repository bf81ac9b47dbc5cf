// Hierarchy seeds and proofs (see hierarchy_secrets.h): SHA-512 over a label,
// the scenario seed, the hierarchy handle and, for NULL, the reset count.
#include "tpm_model/hierarchy_secrets.h"

#include <string>

#include "tpm_model/command_dispatch.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

std::vector<uint8_t> derive(const TpmState& st, const std::string& label, uint32_t hierarchy) {
  std::vector<uint8_t> in(label.begin(), label.end());
  in.push_back(0);
  for (int i = 0; i < 8; ++i) in.push_back(uint8_t(st.config.rngSeed >> (8 * i)));
  for (int i = 24; i >= 0; i -= 8) in.push_back(uint8_t(hierarchy >> i));
  uint32_t epoch = hierarchy == handle::kNull ? st.resetCount : 0;
  for (int i = 24; i >= 0; i -= 8) in.push_back(uint8_t(epoch >> i));
  return digest(alg::kSha512, in.data(), in.size());
}

}  // namespace

std::vector<uint8_t> primarySeed(const TpmState& st, uint32_t hierarchy) {
  return derive(st, "dlsim primary seed", hierarchy);
}

std::vector<uint8_t> hierarchyProof(const TpmState& st, uint32_t hierarchy) {
  return derive(st, "dlsim hierarchy proof", hierarchy);
}

uint16_t ticketHashAlg(const TpmState& st) {
  const auto& a = st.config.hashAlgs;
  return a.back() == alg::kSm3_256 && a.size() > 1 ? a[a.size() - 2] : a.back();
}

}  // namespace dlsim::tpm
