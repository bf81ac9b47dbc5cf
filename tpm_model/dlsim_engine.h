// dlsim's own deterministic TPM 2.0 engine: the command set secure-launch
// code uses (see README of tpm_model / DIFFERENCES.md), PC Client PCR banks
// and the H-CRTM/D-RTM hash sequence. All output is a function of the
// configuration (including the RNG seed) and the inputs.
#pragma once
#include <memory>

#include "tpm_model/tpm_engine.h"
#include "tpm_model/tpm_state.h"

namespace dlsim::tpm {

class DlsimEngine : public TpmEngine {
 public:
  // Throws InputError naming `source` when the configuration is invalid
  // (unknown hash, bank not among the implemented hashes, empty banks).
  explicit DlsimEngine(EngineConfig config = {}, const std::string& source = "tpm configuration");

  std::string name() const override { return "dlsim"; }
  void powerOn() override;
  std::vector<uint8_t> execute(uint8_t locality, std::span<const uint8_t> command) override;
  void hashStart() override;
  void hashData(std::span<const uint8_t> data) override;
  void hashEnd() override;
  std::optional<std::vector<uint8_t>> pcrValue(uint16_t hashAlg, unsigned index) override;
  bool established() override { return st_->established; }
  bool resetEstablished(uint8_t locality) override;
  // Versioned, tagged encoding of the whole TpmState including the
  // configuration (dlsim_engine_snapshot.cpp).
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  // Scenario preload: defines an NV index with contents, as if made by
  // NV_DefineSpace + NV_Write (TPMA_NV_WRITTEN is set when data is given).
  // Throws InputError naming `source` on a bad index, size or duplicate.
  void preloadNv(const NvIndex& index, const std::string& source);

  const TpmState& state() const { return *st_; }

 private:
  std::unique_ptr<TpmState> st_;
};

}  // namespace dlsim::tpm
