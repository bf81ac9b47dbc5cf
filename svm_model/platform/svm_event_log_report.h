// The "event_log" member of the report's "svm" object and its text line:
// where the hand-off put SKL's DRTM log and what SKL left there
// (svm_model/handoff/skl_event_log.h). The records are the TPM section's
// (tpm.event_log at the same address parses and replays them).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "svm_model/handoff/skl_event_log.h"

namespace dlsim::svm {

// {"where", "base", "size", "format" (1 | 2), "state", "used" (written),
//  "error" (malformed / not-in-ram)}
nlohmann::json sklEventLogJson(const SklEventLog& l);

// "  svm event log: 0xd9 bytes written at 0x400000 (SLRT LOG_INFO, format 2, area 0x10000)\n"
// or "... malformed: ERROR", "... empty (SKL wrote no header)".
std::string sklEventLogText(const SklEventLog& l);

}  // namespace dlsim::svm
