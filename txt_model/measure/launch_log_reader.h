// The TCG event log SINIT wrote, read back from guest memory after a run
// (the bytes from EVENT_LOG_POINTER2_1's buffer start to next_record_offset;
// without that element, the SHA-1 bank's legacy log of EVENT_LOG_POINTER2
// from pcr_events_offset to next_event_offset, a SHA-1 format log)
// so `dlsim run --event-log-out FILE` can hand it to `dlsim eventlog FILE
// --replay` and tpm2_eventlog.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace dlsim {
class GuestMemory;
}

namespace dlsim::txt::measure {

// nullopt when the heap cannot be read or parsed, OsSinitData has neither
// EVENT_LOG_POINTER2_1 nor a SHA-1 log in EVENT_LOG_POINTER2, nothing was logged (next_record_offset 0),
// or the offset runs past the allocated size or out of RAM.
std::optional<std::vector<uint8_t>> readLaunchEventLog(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize);

}  // namespace dlsim::txt::measure
