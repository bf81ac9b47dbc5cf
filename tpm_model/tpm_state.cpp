// TpmState construction and small helpers shared by the command families.
#include "tpm_model/tpm_state.h"

#include <algorithm>

#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {

TpmState::TpmState(EngineConfig c) : config(std::move(c)), pcrs(config.pcrBanks), rng(config.rngSeed) {}

bool TpmState::hashImplemented(uint16_t alg) const {
  return std::find(config.hashAlgs.begin(), config.hashAlgs.end(), alg) != config.hashAlgs.end();
}

void HashSequence::update(std::span<const uint8_t> data) {
  for (auto& p : parts) p.fn->update(data.data(), data.size());
  fed.insert(fed.end(), data.begin(), data.end());
}

HashSequence TpmState::newSequence(bool event, uint16_t alg) const {
  HashSequence s;
  s.event = event;
  if (event) {
    for (uint16_t a : config.hashAlgs)
      s.parts.push_back({a, Botan::HashFunction::create_or_throw(botanHashName(a))});
  } else {
    s.parts.push_back({alg, Botan::HashFunction::create_or_throw(botanHashName(alg))});
  }
  return s;
}

}  // namespace dlsim::tpm
