// Replaying an event log into PCR values, and comparing the result with the
// PCRs a TPM reports. Extend: PCR := H_bank(PCR || digest) for every event's
// digest in that bank (Botan hashes; banks dlsim implements: SHA-1/256/384/
// 512, SM3-256). An event without a digest for a bank does not extend that
// bank: its digests are the TPML_DIGEST_VALUES of the TPM2_PCR_Extend it
// records, and the TPM leaves banks that list lacks unchanged (TPM 2.0 Part 3
// §22.2). The PC Client firmware profile (§9.1) requires every digest in a
// firmware log, but D-RTM logs have such events (tboot's extend policy
// "fixed": SHA-256 only); tpm2_eventlog replays them the same way. EV_NO_ACTION events are not extended, nor (by default) the
// Linux Secure Launch SLAUNCH_START/END markers (spec/tpm.md §7).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim::tpm::evlog {

// bank (TPM_ALG_ID) -> PCR index -> value. Ordered maps: deterministic output.
using PcrValues = std::map<uint16_t, std::map<unsigned, std::vector<uint8_t>>>;

enum class InitialPcrs {
  // After TPM2_Startup: PCR 0-16 and 23 zero, PCR 17-22 all ones (0xFF).
  kAfterStartup,
  // After a D-RTM sequence (_TPM_Hash_End): PCR 17-22 zero (PCR 17 is then
  // extended with H(ACM||EDX), which TXT logs record as HASH_START), the
  // others as after Startup. The starting point for TXT / SKINIT logs.
  kAfterDynamicLaunch,
  // Every PCR zero (what tpm2-tools' eventlog assumes).
  kAllZero,
};

// Values for all 24 PCRs of each implemented bank in `banks` (others skipped).
PcrValues initialPcrValues(const std::vector<uint16_t>& banks, InitialPcrs kind);

struct ReplayOptions {
  bool skipSecureLaunchMarkers = true;
};

struct ReplayResult {
  PcrValues start;   // the start values given
  PcrValues values;  // final values (only PCRs the start values held)
  // For each bank and PCR, the value after each event extended into it:
  // (index in EventLog::events, value after that event).
  std::map<uint16_t, std::map<unsigned, std::vector<std::pair<size_t, std::vector<uint8_t>>>>> history;
  // bank -> PCR -> first event for the PCR that lacks a digest for the bank
  // (replayed as not extending that bank; named in a disagreement).
  std::map<uint16_t, std::map<unsigned, size_t>> missingDigest;
  // Events not extended: EV_NO_ACTION, markers, PCR index without a start value.
  std::vector<size_t> skipped;
};

// Replays every measurement event of `log` on top of `initial` (banks the log
// carries but `initial` lacks, or dlsim does not implement, are not replayed).
ReplayResult replayEventLog(const EventLog& log, const PcrValues& initial, const ReplayOptions& options = {});

struct PcrDisagreement {
  uint16_t bank = 0;
  unsigned pcr = 0;
  std::vector<uint8_t> replayed;
  std::vector<uint8_t> observed;
  // The observed value equals the value after this many of the log's events
  // for the PCR (0 = the start value): the TPM saw only a prefix of the log.
  std::optional<size_t> matchingPrefix;
  // Index in EventLog::events of the first logged event for this PCR that the
  // TPM's value does not reflect (set when matchingPrefix is).
  std::optional<size_t> firstDivergentEvent;
  // Set when an event for this PCR lacks a digest for this bank: event index.
  std::optional<size_t> missingDigestAt;
};

// Compares replayed values with `observed` (only the banks and PCRs present
// in both are compared); disagreements ordered by bank, then PCR. Equal
// values agree even when some event lacked the bank's digest.
std::vector<PcrDisagreement> comparePcrs(const ReplayResult& replay, const PcrValues& observed);

// "sha256 PCR17: replayed ab.., observed cd..; TPM matches the log through 2 of 5 events, first divergent event #7"
std::string describeDisagreement(const PcrDisagreement& d);

}  // namespace dlsim::tpm::evlog
