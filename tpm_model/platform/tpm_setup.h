// Puts the scenario's TPM into a machine: builds the engine (dlsim's own or
// libtpms), provisions it (PCR banks, NV preload), puts the TIS or CRB
// register interface in front of it at 0xFED40000 (0x5000 bytes), opens the
// requested localities and arms the injected faults. After the run it
// observes the TPM (PCRs, localities, command record) and reads, parses and
// replays the guest's event log for the report and the checks.
#pragma once
#include <memory>
#include <string>

#include "sim/guest_memory.h"
#include "sim/model_api/model_host.h"
#include "tpm_model/platform/tpm_observation.h"
#include "tpm_model/platform/tpm_spec.h"
#include "tpm_model/interface/tpm_interface.h"
#include "tpm_model/tpm_engine.h"

namespace dlsim {

class TpmSetup {
 public:
  // Builds and maps the TPM on `host` (before the machine starts) and hands
  // its ownership to the machine. `seed` feeds the engine's GetRandom stream (both
  // engines); `source` (the scenario file) names errors: InputError for a
  // configuration the engine refuses (e.g. a bank libtpms does not implement).
  static TpmSetup& install(ModelHost& host, const TpmSpec& spec, uint64_t seed, const std::string& source);

  tpm::TpmEngine& engine() { return *engine_; }
  tpm::TpmInterface& device() { return *device_; }
  const TpmSpec& spec() const { return spec_; }

  // The TPM's state now, and the event log read from `memory` when the
  // scenario gives its location.
  TpmObservation observe(const GuestMemory& memory);

  ~TpmSetup();

 private:
  TpmSetup() = default;
  TpmSpec spec_;
  std::unique_ptr<tpm::TpmEngine> engine_;
  std::unique_ptr<tpm::TpmInterface> device_;  // destroyed before the engine it refers to
};

}  // namespace dlsim
