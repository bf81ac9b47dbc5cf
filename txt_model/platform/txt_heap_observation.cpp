// Reads the TXT heap back from guest memory for the report (what Debian's
// txt-stat --heap reads through /dev/mem at HEAP.BASE, HEAP.SIZE bytes).
#include <cinttypes>
#include <cstdio>

#include "sim/guest_memory.h"
#include "txt_model/platform/txt_observation.h"

namespace dlsim::txt {

namespace {
// Larger than any heap a profile sets up (launch_log_reader.cpp uses the same
// bound); a wild HEAP.SIZE is reported, not read.
constexpr uint64_t kMaxReportedHeap = 64ull << 20;

std::string range(uint64_t base, uint64_t size) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "HEAP.BASE 0x%08" PRIx64 ", HEAP.SIZE 0x%" PRIx64, base, size);
  return buf;
}
}  // namespace

void readHeapInto(TxtObservation& o, const GuestMemory& memory, bool afterLaunch) {
  o.heapParse.reset();
  o.heapNote.clear();
  const uint64_t base = o.regs.heapBase, size = o.regs.heapSize;
  if (size == 0) {
    o.heapNote = "not read: " + range(base, size) + " (no heap)";
    return;
  }
  if (size > kMaxReportedHeap) {
    o.heapNote = "not read: " + range(base, size) + " is larger than 64 MiB";
    return;
  }
  std::vector<uint8_t> bytes(size);
  if (base + size < base || !memory.read(base, bytes.data(), bytes.size())) {
    o.heapNote = "not read: " + range(base, size) + " is not all RAM";
    return;
  }
  o.heapParse = heap::parseTxtHeap(bytes, afterLaunch ? heap::HeapScope::kAfterLaunch : heap::HeapScope::kBeforeLaunch);
}

}  // namespace dlsim::txt
