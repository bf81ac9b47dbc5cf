// The TPM as a platform model (sim/model_api): the "tpm" scenario section,
// the "pcrs", "event_log_replays" and "tpm" members of `expect`, the TIS/CRB
// device at 0xFED40000 with its engine, and the TPM's part of the report.
// Listed in the composition root (models/model_list.cpp); the template the
// TXT and SVM models follow.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"
#include "tpm_model/platform/tpm_spec.h"

namespace dlsim {

const PlatformModel& tpmPlatformModel();

// The TPM section among a scenario's model sections; null when it has none.
const TpmSpec* findTpmSpec(const std::vector<ModelSection>& sections);

// {"section": ..., "expect": {...}} (tpm_schema.cpp).
nlohmann::ordered_json tpmSchemaFragment();

}  // namespace dlsim
