#include "txt_model/measure/launch_log_reader.h"

#include "sim/guest_memory.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_parse.h"

namespace dlsim::txt::measure {

namespace {
// Larger than any heap a profile sets up; a bad HEAP.SIZE reads nothing.
constexpr uint64_t kMaxHeap = 64ull << 20;

// The SHA-1 bank's legacy log (EVENT_LOG_POINTER2): its records from
// pcr_events_offset to next_event_offset are TCG_PCR_EVENTs, the SHA-1 log
// format every event-log reader takes. The other banks' logs are not exported.
std::optional<std::vector<uint8_t>> readLegacySha1Log(const GuestMemory& memory,
                                                      const std::vector<heap::ExtElement>& elements) {
  const auto* e = heap::findElement(elements, heap::ElementType::kEventLogPointer2);
  if (!e) return std::nullopt;
  auto p = heap::decodeEventLogPointer2(*e);
  if (!p) return std::nullopt;
  for (const auto& d : p->logs) {
    if (d.alg != 0x0004) continue;  // TPM_ALG_SHA1
    if (d.nextEventOffset <= d.firstEventOffset || d.nextEventOffset > d.size) return std::nullopt;
    std::vector<uint8_t> log(d.nextEventOffset - d.firstEventOffset);
    if (!memory.read(d.physAddr + d.firstEventOffset, log.data(), log.size())) return std::nullopt;
    return log;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<uint8_t>> readLaunchEventLog(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize) {
  if (heapSize == 0 || heapSize > kMaxHeap) return std::nullopt;
  std::vector<uint8_t> bytes(heapSize);
  if (!memory.read(heapBase, bytes.data(), bytes.size())) return std::nullopt;
  auto parsed = heap::parseTxtHeap(bytes, heap::HeapScope::kBeforeLaunch);
  if (!parsed.heap.osSinit) return std::nullopt;
  const auto* e = heap::findElement(parsed.heap.osSinit->elements, heap::ElementType::kEventLogPointer2_1);
  if (!e) return readLegacySha1Log(memory, parsed.heap.osSinit->elements);
  auto d = heap::decodeEventLogPointer2_1(*e);
  if (!d || d->nextRecordOffset == 0 || d->nextRecordOffset > d->allocatedSize) return std::nullopt;
  std::vector<uint8_t> log(d->nextRecordOffset);
  if (!memory.read(d->physAddr, log.data(), log.size())) return std::nullopt;
  return log;
}

}  // namespace dlsim::txt::measure
