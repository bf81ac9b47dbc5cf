// The TPM expectations of a scenario's `expect` section and their checks:
// `pcrs` {bank: {index: hex}}, `event_log_replays` true, and `tpm`
// {established, active_locality, commands_at_locality {loc: count}}.
// Check names: "pcrs.sha256[16]", "event_log_replays", "tpm.established",
// "tpm.active_locality", "tpm.commands_at_locality[0]".
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/model_api/platform_model.h"
#include "tpm_model/platform/tpm_observation.h"

namespace dlsim {

struct TpmExpectations : ModelExpectations {
  // bank name -> PCR index -> expected value (lower-case hex of the bank's digest size).
  std::map<std::string, std::map<unsigned, std::string>> pcrs;
  bool eventLogReplays = false;  // `event_log_replays: true` was given
  std::optional<bool> established;
  std::optional<int> activeLocality;  // -1: none
  std::map<unsigned, uint64_t> commandsAtLocality;
  bool empty() const {
    return pcrs.empty() && !eventLogReplays && !established && !activeLocality && commandsAtLocality.empty();
  }
  // addTpmChecks with `obs` (a TpmObservation or null).
  void check(const ModelObservation* obs, std::vector<CheckResult>& out) const override;
};

// Reads the "pcrs", "event_log_replays" and "tpm" members of the expect
// object `o` (which declares them as known).
TpmExpectations parseTpmExpectations(JsonObjectReader& o);

// One check per item; with no TPM every check fails with actual "no TPM".
void addTpmChecks(const TpmExpectations& e, const TpmObservation* tpm, std::vector<CheckResult>& out);

}  // namespace dlsim
