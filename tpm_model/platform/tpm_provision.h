// Provisioning a TPM engine through its command interface, for engines that
// take no configuration (libtpms): PCR bank allocation (TPM2_PCR_Allocate,
// effective after the next _TPM_Init) and NV preload (TPM2_NV_DefineSpace +
// TPM2_NV_Write), all with the empty platform/owner password of a fresh TPM.
// Leaves the engine powered on again and waiting for the guest's Startup.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tpm_model/platform/tpm_spec.h"
#include "tpm_model/tpm_engine.h"

namespace dlsim {

// Hash algorithms libtpms allocates PCR banks for (and implements).
const std::vector<uint16_t>& libtpmsPcrHashes();

// Startup(CLEAR), PCR_Allocate of exactly `banks` (when given), the NV
// indices (each with its position in /tpm/nv, for messages), Shutdown(CLEAR),
// _TPM_Init. Throws InputError naming `source` when the engine refuses a step.
void provisionByCommands(tpm::TpmEngine& engine, const std::vector<uint16_t>* banks,
                         const std::vector<std::pair<size_t, TpmNvSpec>>& nv, const std::string& source);

// What platform firmware sends before it hands over: TPM2_Startup(SU_CLEAR)
// at locality 0 (TpmStartup::Clear). Throws InputError naming `source` when
// the engine refuses it.
void firmwareStartupClear(tpm::TpmEngine& engine, const std::string& source);

}  // namespace dlsim
