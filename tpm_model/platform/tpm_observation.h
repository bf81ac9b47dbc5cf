// What a run leaves behind about the TPM for checks and reports: PCR values
// per bank, interface state, the command record and, when the scenario says
// where the guest keeps one, the parsed event log with its replay. Filled in
// by tpm_setup after the run; plain data (hex strings). The report writers
// see it as a ModelObservation (rendering in tpm_report.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"

namespace dlsim {

// bank name ("sha256") -> PCR index -> value as lower-case hex. A PCR the
// engine could not report (libtpms before TPM2_Startup) is absent.
using PcrHexValues = std::map<std::string, std::map<unsigned, std::string>>;

struct TpmCommandObservation {
  unsigned locality = 0;
  std::optional<uint16_t> tag;   // the header's tag; nullopt: fewer than 10 command bytes arrived
  std::optional<uint32_t> code;  // the header's command code (TPM 1.2: ordinal); nullopt as tag
  bool answered = false;         // false: the TPM hung on it
  uint32_t rc = 0;               // response code when answered
};

struct EventLogObservation {
  std::string format;             // scenario's event_log.format
  uint64_t address = 0, size = 0;
  std::string error;              // why the log could not be read or parsed; "" when it was
  // The bytes read from guest memory, as `dlsim eventlog` reads them (for
  // txt-container: the pointer element, then the container); for --event-log-out.
  std::vector<uint8_t> bytes;
  nlohmann::json log;             // {"format", "spec_id"?, "events": [...]} when parsed
  std::string text;               // the same as `dlsim eventlog` prints it (one line per record), when parsed
  size_t measurements = 0;        // events extended into some PCR
  std::string startValues;        // "after-startup" | "after-dynamic-launch"
  PcrHexValues replayed;          // PCRs some event extended, after the replay
  std::vector<std::string> disagreements;  // one sentence per (bank, PCR) where TPM and replay differ
  // Parsed, extended something, and every replayed PCR equals the TPM's.
  bool replays() const { return error.empty() && measurements > 0 && disagreements.empty(); }
};

struct TpmObservation : ModelObservation {
  std::string interface;  // "tis" | "crb"
  std::string engine;     // "dlsim" | "libtpms"
  PcrHexValues pcrs;      // every allocated bank, PCR 0-23
  int activeLocality = -1;  // -1: no locality owns the TPM
  bool established = false;  // TPMEstablished
  bool hung = false;         // stopped answering (fault injection)
  std::array<uint64_t, 5> commandsPerLocality{};
  std::vector<TpmCommandObservation> commands;  // in arrival order (the first 4096)
  uint64_t droppedAccesses = 0;  // accesses the chipset did not let through
  std::optional<EventLogObservation> eventLog;

  // "pcrs", "tpm" and (with an event log) "event_log" (tpm_report.cpp).
  void addToJson(nlohmann::json& run) const override;
  std::string text() const override;
  // text(), then the event log's records (PCR, type, digests), as txt-stat's
  // TBOOT log shows SINIT's log (`dlsim run --verbose`).
  std::string detailText() const override;
  const std::vector<uint8_t>* eventLogBytes() const override {
    return eventLog && !eventLog->bytes.empty() ? &eventLog->bytes : nullptr;
  }
};

}  // namespace dlsim
