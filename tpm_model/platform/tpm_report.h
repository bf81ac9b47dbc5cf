// The TPM parts of a report: "pcrs", "tpm" and "event_log" as JSON, and the
// short text lines shown for a run that did not pass. Format in
// docs/report-format.md.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "tpm_model/platform/tpm_observation.h"

namespace dlsim {

// {bank: {"0": hex, ..., "23": hex}}
nlohmann::json pcrsToJson(const PcrHexValues& pcrs);
// {interface, engine, active_locality, established, hung, commands: {per_locality, list}, dropped_accesses}
nlohmann::json tpmToJson(const TpmObservation& tpm);
// {format, address, size, error, log, start_values, replayed, replays, disagreements}
nlohmann::json eventLogToJson(const EventLogObservation& log);
// "  tpm: tis/dlsim, locality 0 active, established no, 3 commands (last TPM2_PCR_Extend rc 0x0)\n" and
// one line per event-log problem.
std::string tpmText(const TpmObservation& tpm);

}  // namespace dlsim
