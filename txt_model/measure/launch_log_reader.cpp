#include "txt_model/measure/launch_log_reader.h"

#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_parse.h"

namespace dlsim::txt::measure {

namespace {
// Larger than any heap a profile sets up; a bad HEAP.SIZE reads nothing.
constexpr uint64_t kMaxHeap = 64ull << 20;
constexpr uint16_t kTpmAlgSha1 = 0x0004;

// OsSinitData's extended elements as the heap holds them (nullopt: the heap
// cannot be read or has no OsSinitData).
std::optional<std::vector<heap::ExtElement>> osSinitElements(const GuestMemory& memory, uint64_t heapBase,
                                                             uint64_t heapSize) {
  if (heapSize == 0 || heapSize > kMaxHeap) return std::nullopt;
  std::vector<uint8_t> bytes(heapSize);
  if (!memory.read(heapBase, bytes.data(), bytes.size())) return std::nullopt;
  auto parsed = heap::parseTxtHeap(bytes, heap::HeapScope::kBeforeLaunch);
  if (!parsed.heap.osSinit) return std::nullopt;
  return parsed.heap.osSinit->elements;
}

// The legacy logs' descriptors, when SINIT writes them: EVENT_LOG_POINTER2
// present and EVENT_LOG_POINTER2_1 absent.
std::optional<heap::EventLogPointer2> legacyPointer(const std::vector<heap::ExtElement>& elements) {
  if (heap::findElement(elements, heap::ElementType::kEventLogPointer2_1)) return std::nullopt;
  const auto* e = heap::findElement(elements, heap::ElementType::kEventLogPointer2);
  if (!e) return std::nullopt;
  return heap::decodeEventLogPointer2(*e);
}

// One bank's records, pcr_events_offset to next_event_offset.
std::optional<std::vector<uint8_t>> readBankLog(const GuestMemory& memory, const heap::EventLogDescriptor& d) {
  if (d.nextEventOffset <= d.firstEventOffset || d.nextEventOffset > d.size) return std::nullopt;
  std::vector<uint8_t> log(d.nextEventOffset - d.firstEventOffset);
  if (!memory.read(d.physAddr + d.firstEventOffset, log.data(), log.size())) return std::nullopt;
  return log;
}

std::string bankName(uint16_t alg) {
  switch (alg) {
    case 0x000B: return "sha256";
    case 0x000C: return "sha384";
    case 0x000D: return "sha512";
    case 0x0012: return "sm3";
    default: return "alg-" + dlsim::hex(alg);
  }
}

}  // namespace

std::optional<std::vector<uint8_t>> readLaunchEventLog(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize) {
  auto elements = osSinitElements(memory, heapBase, heapSize);
  if (!elements) return std::nullopt;
  const auto* e = heap::findElement(*elements, heap::ElementType::kEventLogPointer2_1);
  if (!e) {
    // The SHA-1 bank's legacy log: TCG_PCR_EVENTs, the SHA-1 log format
    // every event-log reader takes.
    auto p = legacyPointer(*elements);
    if (!p) return std::nullopt;
    for (const auto& d : p->logs)
      if (d.alg == kTpmAlgSha1) return readBankLog(memory, d);
    return std::nullopt;
  }
  auto d = heap::decodeEventLogPointer2_1(*e);
  if (!d || d->nextRecordOffset == 0 || d->nextRecordOffset > d->allocatedSize) return std::nullopt;
  std::vector<uint8_t> log(d->nextRecordOffset);
  if (!memory.read(d->physAddr, log.data(), log.size())) return std::nullopt;
  return log;
}

std::vector<LegacyBankLog> readLegacyBankLogs(const GuestMemory& memory, uint64_t heapBase, uint64_t heapSize) {
  std::vector<LegacyBankLog> out;
  auto elements = osSinitElements(memory, heapBase, heapSize);
  if (!elements) return out;
  auto p = legacyPointer(*elements);
  if (!p) return out;
  for (const auto& d : p->logs) {
    if (d.alg == kTpmAlgSha1) continue;
    if (auto bytes = readBankLog(memory, d)) out.push_back({d.alg, bankName(d.alg), std::move(*bytes)});
  }
  return out;
}

}  // namespace dlsim::txt::measure
