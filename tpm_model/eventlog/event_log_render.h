// Text and JSON renderings of an event log (and of replayed PCR values) for
// the `dlsim eventlog` command and for reports. One event per line / array
// element: index, PCR, type name and number, digests per bank as hex, data
// length and a printable preview. JSON keys come in a fixed order.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/pcr_replay.h"

namespace dlsim::tpm::evlog {

// The event data as text: printable ASCII (trailing NULs dropped) in quotes,
// otherwise hex; cut at `maxChars` with "...".
std::string dataPreview(std::span<const uint8_t> data, size_t maxChars = 48);

std::string renderEventLogText(const EventLog& log);
// Pretty-printed JSON: {"format", "spec_id" (crypto-agile), "events": [...]}
// and, when `replay` is given, "pcrs": {bank: {pcr: hex}} of the PCRs some
// event extended.
std::string renderEventLogJson(const EventLog& log, const ReplayResult* replay = nullptr);
// "sha256 PCR17 <hex>" lines for the PCRs some event extended.
std::string renderReplayText(const ReplayResult& replay);

}  // namespace dlsim::tpm::evlog
