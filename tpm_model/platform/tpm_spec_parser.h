// Reads a scenario's "tpm" section into a TpmSpec: interface, engine, PCR
// banks, NV preload, open localities, fault injection and the event-log
// location. Strict like the rest of the format: every error names the JSON
// pointer of the bad value (docs/scenario-format.md, "tpm").
#pragma once
#include <string>

#include "sim/scenario/json_reader.h"
#include "tpm_model/platform/tpm_spec.h"

namespace dlsim {

// `scenarioFile` resolves relative NV data files.
TpmSpec parseTpmSpec(const JsonValue& tpm, const std::string& scenarioFile);

// TPM_ALG_ID of a bank name ("sha1", "sha256", "sha384", "sha512",
// "sm3_256") and back; the name of an unknown id is "0x...".
std::optional<uint16_t> tpmBankId(const std::string& name);
std::string tpmBankName(uint16_t id);

// TPMA_NV of the named NV attribute presets (docs/scenario-format.md).
std::optional<uint32_t> tpmNvPreset(const std::string& name);

}  // namespace dlsim
