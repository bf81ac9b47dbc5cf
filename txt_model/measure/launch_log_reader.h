// The TCG event log SINIT wrote, read back from guest memory after a run
// (the bytes from EVENT_LOG_POINTER2_1's buffer start to next_record_offset)
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

// nullopt when the heap cannot be read or parsed, OsSinitData has no
// EVENT_LOG_POINTER2_1 element, nothing was logged (next_record_offset 0),
// or the offset runs past the allocated size or out of RAM.
std::optional<std::vector<uint8_t>> readLaunchEventLog(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize);

}  // namespace dlsim::txt::measure
