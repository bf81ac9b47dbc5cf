// The TCG event log SINIT wrote, read back from guest memory after a run
// (the bytes from EVENT_LOG_POINTER2_1's buffer start to next_record_offset;
// without that element, the SHA-1 bank's legacy log of EVENT_LOG_POINTER2
// from pcr_events_offset to next_event_offset, a SHA-1 format log)
// so `dlsim run --event-log-out FILE` can hand it to `dlsim eventlog FILE
// --replay` and tpm2_eventlog. The other banks' legacy logs are read by
// readLegacyBankLogs (`--event-log-out` writes them to FILE.<bank>).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {
class GuestMemory;
}

namespace dlsim::txt::measure {

// nullopt when the heap cannot be read or parsed, OsSinitData has neither
// EVENT_LOG_POINTER2_1 nor a SHA-1 log in EVENT_LOG_POINTER2, nothing was logged (next_record_offset 0),
// or the offset runs past the allocated size or out of RAM.
std::optional<std::vector<uint8_t>> readLaunchEventLog(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize);

// One bank's legacy log: `name` is the bank's ("sha256", "sha384", "sha512",
// "sm3", else "alg-0x<TPM_ALG_ID>"), `bytes` its records from
// pcr_events_offset to next_event_offset (the TCG_LOG_DESCRIPTOR header
// record first; `dlsim eventlog` reads them as txt-legacy-bank).
struct LegacyBankLog {
  uint16_t alg = 0;
  std::string name;
  std::vector<uint8_t> bytes;
  bool operator==(const LegacyBankLog&) const = default;
};

// The legacy logs of the banks other than SHA-1, in the element's order,
// when OsSinitData has EVENT_LOG_POINTER2 and no EVENT_LOG_POINTER2_1 (the
// element SINIT then writes). A bank whose log is empty, whose offsets run
// past its size, or that lies outside RAM is left out; empty when the heap
// cannot be read or parsed.
std::vector<LegacyBankLog> readLegacyBankLogs(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize);

}  // namespace dlsim::txt::measure
