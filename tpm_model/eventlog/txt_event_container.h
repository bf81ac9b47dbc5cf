// The Intel TXT heap's TPM 2.0 event-log container: the OsSinitData extended
// element HEAP_EVENT_LOG_POINTER_ELEMENT2_1 (type 8, 28 bytes with its
// header: {u64 PhysicalAddress; u32 AllocatedEventContainerSize;
// u32 FirstRecordOffset; u32 NextRecordOffset}), and the crypto-agile log in
// the buffer it points at. The loader zero-fills the buffer and sets
// first = next = 0; SINIT writes the Spec ID header at offset 0 and its own
// events, advancing NextRecordOffset; later stages (the MLE, Linux Secure
// Launch) append at NextRecordOffset within the allocated size.
// Facts: spec/intel-txt.md §3, §7; spec/tpm.md §7 (tboot heap.h, txt.c).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim::tpm::evlog {

inline constexpr uint32_t kHeapElementEventLogPointer2_1 = 8;
inline constexpr uint32_t kEventLogPointer2_1ElementSize = 28;  // 8-byte {type, size} header + 20

struct EventLogPointer2_1 {
  uint64_t physAddr = 0;
  uint32_t allocatedSize = 0;
  uint32_t firstRecordOffset = 0;
  uint32_t nextRecordOffset = 0;
  bool operator==(const EventLogPointer2_1&) const = default;
};

// Parses the element {u32 type = 8, u32 size = 28, data} at bytes[0].
EventLogPointer2_1 parseEventLogPointerElement(std::span<const uint8_t> bytes, const std::string& source,
                                               uint64_t baseOffset = 0);
std::vector<uint8_t> encodeEventLogPointerElement(const EventLogPointer2_1& ptr);

// The crypto-agile log in [first, next) of the container. `memory` holds the
// guest-physical bytes starting at `memoryBase`; the allocated container
// must lie inside it and first <= next <= allocated must hold. An empty
// container (first == next) is an error: it holds no Spec ID header.
EventLog parseTxtEventLog(const EventLogPointer2_1& ptr, std::span<const uint8_t> memory, uint64_t memoryBase,
                          const std::string& source);

// Result of writing into a container. On overflow nothing was written and
// NextRecordOffset is unchanged.
struct AppendResult {
  bool ok = false;
  uint32_t recordSize = 0;  // bytes the record needs
  uint32_t available = 0;   // allocated - next before the write
};

// Writers working the way launch code does. `container` is the allocated
// buffer (allocatedSize bytes at physAddr); `ptr` is updated in place.
// Throws InputError when `ptr` is inconsistent (next beyond allocated, first
// beyond next) or the buffer is not allocatedSize bytes long.

// SINIT's first step: the Spec ID header at next (the container must be empty).
AppendResult writeTxtSpecIdHeader(EventLogPointer2_1& ptr, std::span<uint8_t> container, const SpecIdEvent& spec,
                                  const std::string& source);
// Appends `event` as a TCG_PCR_EVENT2 encoded for the Spec ID header already
// in the container.
AppendResult appendTxtEvent(EventLogPointer2_1& ptr, std::span<uint8_t> container, const LogEvent& event,
                            const std::string& source);

// A file form of a container for tools and tests: the 28-byte element
// followed by the container's allocated bytes (as found at physAddr).
std::vector<uint8_t> encodeTxtContainerDump(const EventLogPointer2_1& ptr, std::span<const uint8_t> container);
EventLog parseTxtContainerDump(std::span<const uint8_t> bytes, const std::string& source);
// True when bytes start with a type-8, size-28 element header.
bool looksLikeTxtContainerDump(std::span<const uint8_t> bytes);

}  // namespace dlsim::tpm::evlog
