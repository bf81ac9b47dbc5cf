#include "svm_model/handoff/skl_event_log.h"

#include <algorithm>
#include <cstring>

#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/le_reader.h"

namespace dlsim::svm {

namespace {

constexpr uint32_t kEvNoAction = 3;
constexpr uint64_t kHeaderEventSize = 32;  // TCG_PCR_EVENT without its data
constexpr uint64_t kHeadRead = 4096;
// TPM 1.2: header event 32 + common Spec ID 24 + vendorInfoSize 1.
constexpr uint64_t kContainerOffset = 57;
constexpr uint64_t kContainerHeaderSize = 48;
constexpr uint64_t kPointerVendorInfoSize = 20;

// Every offset read below is inside the head by the checks before it; the
// shared bounded reader would throw (an internal error here) if one were not.
uint32_t u32(std::span<const uint8_t> b, uint64_t o) { return LeReader(b, "SKL event log").u32(o, "u32"); }
uint64_t u64(std::span<const uint8_t> b, uint64_t o) { return LeReader(b, "SKL event log").u64(o, "u64"); }

bool textAt(std::span<const uint8_t> b, uint64_t o, const char* s, size_t n) {
  return o + n <= b.size() && std::memcmp(b.data() + o, s, n) == 0;
}

SklEventLog malformed(SklEventLog l, const std::string& what) {
  l.state = SklLogState::Malformed;
  l.error = what;
  return l;
}

// The header event both formats start with: PCR 0, EV_NO_ACTION, and its
// data (the Spec ID event) inside the head. Returns the data size, or
// sets l.error.
bool headerEvent(SklEventLog& l, std::span<const uint8_t> head, uint64_t& dataSize) {
  if (head.size() < kHeaderEventSize) {
    l = malformed(l, "the area is " + std::to_string(head.size()) + " bytes, less than the 32-byte header event");
    return false;
  }
  if (u32(head, 0) != 0 || u32(head, 4) != kEvNoAction) {
    l = malformed(l, "header event at +0x0: PCR " + std::to_string(u32(head, 0)) + ", type " + hex(u32(head, 4)) +
                         " (SKL writes PCR 0, EV_NO_ACTION 0x3)");
    return false;
  }
  dataSize = u32(head, 28);
  if (kHeaderEventSize + dataSize > head.size()) {
    l = malformed(l, "header event at +0x0: event size " + std::to_string(dataSize) + " runs past the area (" +
                         std::to_string(head.size() - kHeaderEventSize) + " bytes after the header)");
    return false;
  }
  return true;
}

SklEventLog tcgExtent(SklEventLog l, std::span<const uint8_t> head) {
  uint64_t dataSize = 0;
  if (!headerEvent(l, head, dataSize)) return l;
  const uint64_t end = kHeaderEventSize + dataSize;  // the header event's end
  if (!textAt(head, 32, "Spec ID Event03", 16))
    return malformed(l, "Spec ID event at +0x20: the signature is not \"Spec ID Event03\" (TCG TPM 2.0 log)");
  if (end < 32 + 29) return malformed(l, "Spec ID event at +0x20: " + std::to_string(dataSize) + " bytes, fewer than 29");
  const uint64_t algs = u32(head, 56);
  if (algs == 0 || 60 + 4 * algs + 1 > end)
    return malformed(l, "Spec ID event at +0x20: numberOfAlgorithms " + std::to_string(algs) +
                            " does not fit its " + std::to_string(dataSize) + " bytes");
  const uint64_t visAt = 60 + 4 * algs;
  const uint64_t vis = head[visAt];
  if (visAt + 1 + vis > end)
    return malformed(l, "Spec ID event at +0x20: vendorInfoSize " + std::to_string(vis) + " runs past its " +
                            std::to_string(dataSize) + " bytes");
  if (vis != kPointerVendorInfoSize) {
    // Not SKL's pointer: the extent is not written down; the TCG parser takes
    // the area's zero tail as unused.
    if (l.area.size > kSklLogMaxRead)
      return malformed(l, "Spec ID event at +0x20: vendorInfoSize " + std::to_string(vis) +
                              " (no 20-byte log pointer) and the area is larger than 64 MiB");
    l.state = SklLogState::Written;
    l.used = l.area.size;
    return l;
  }
  const uint64_t p = visAt + 1;
  const uint64_t phys = u64(head, p), allocated = u32(head, p + 8), next = u32(head, p + 16);
  if (phys != l.area.base)
    return malformed(l, "vendor info at " + hex(p) + ": the log address " + hex(phys) + " is not the area's " +
                            hex(l.area.base));
  if (allocated > l.area.size)
    return malformed(l, "vendor info at " + hex(p) + ": allocated size " + hex(allocated) +
                            " is larger than the area (" + hex(l.area.size) + ")");
  if (next < end || next > l.area.size)
    return malformed(l, "vendor info at " + hex(p) + ": next_record_offset " + hex(next) + " is not in [" + hex(end) +
                            ", " + hex(l.area.size) + "] (the header's end, the area's size)");
  l.state = SklLogState::Written;
  l.used = next;
  return l;
}

SklEventLog txt12Extent(SklEventLog l, std::span<const uint8_t> head) {
  uint64_t dataSize = 0;
  if (!headerEvent(l, head, dataSize)) return l;
  if (!textAt(head, 32, "Spec ID Event00", 16))
    return malformed(l, "Spec ID event at +0x20: the signature is not \"Spec ID Event00\" (TPM 1.2 log)");
  if (dataSize < 25 + kContainerHeaderSize || head[56] != kContainerHeaderSize)
    return malformed(l, "Spec ID event at +0x20: event size " + std::to_string(dataSize) + ", vendorInfoSize " +
                            std::to_string(head[56]) + " (SKL's: 73 and 48, the TXT Event Container header)");
  const uint64_t c = kContainerOffset;
  if (!textAt(head, c, "TXT Event Container", 20))
    return malformed(l, "container at +0x39: the signature is not \"TXT Event Container\"");
  const uint64_t first = u32(head, c + 40), next = u32(head, c + 44);
  if (first < kContainerHeaderSize || next < first || c + next > l.area.size)
    return malformed(l, "container at +0x39: pcr_events_offset " + hex(first) + ", next_event_offset " + hex(next) +
                            " (need 0x30 <= first <= next <= " + hex(l.area.size - c) + ")");
  l.state = SklLogState::Written;
  l.used = c + next;
  return l;
}

}  // namespace

const char* sklLogStateName(SklLogState s) {
  switch (s) {
    case SklLogState::Written: return "written";
    case SklLogState::Empty: return "empty";
    case SklLogState::Malformed: return "malformed";
    case SklLogState::NotInRam: return "not-in-ram";
  }
  return "?";
}

SklLogArea sklLogArea(const Handoff& h, const HandoffDesc& d) {
  SklLogArea a;
  if (const BlockField* f = h.field("log_info.addr")) {
    a.where = "SLRT LOG_INFO";
    a.base = f->value;
    a.size = h.field("log_info.size")->value;
    a.format = uint16_t(h.field("log_info.format")->value);
  } else {
    a.where = "tag list EVENT_LOG";
    a.base = h.field("tags.event_log.address")->value;
    a.size = h.field("tags.event_log.size")->value;
    a.format = handoffLogFormat(d);
  }
  return a;
}

SklEventLog sklLogExtent(const SklLogArea& area, std::span<const uint8_t> head) {
  SklEventLog l;
  l.area = area;
  head = head.subspan(0, std::min<uint64_t>(head.size(), area.size));
  const size_t zeroCheck = std::min<size_t>(head.size(), kHeaderEventSize);
  if (std::all_of(head.begin(), head.begin() + zeroCheck, [](uint8_t b) { return b == 0; })) {
    l.state = SklLogState::Empty;
    return l;
  }
  if (area.format == kLogFormatTpm20Tcg) return tcgExtent(l, head);
  if (area.format == kLogFormatTpm12Txt) return txt12Extent(l, head);
  return malformed(l, "format " + std::to_string(area.format) +
                          " is neither 1 (TPM 1.2) nor 2 (TCG TPM 2.0); SKL writes no log for it");
}

SklEventLog readSklEventLog(const GuestMemory& memory, const SklLogArea& area) {
  std::vector<uint8_t> head(std::min(area.size, kHeadRead));
  if (!memory.read(area.base, head.data(), head.size())) {
    SklEventLog l;
    l.area = area;
    l.state = SklLogState::NotInRam;
    l.error = "[" + hex(area.base) + ", +" + hex(head.size()) + ") is not all RAM";
    return l;
  }
  SklEventLog l = sklLogExtent(area, head);
  if (l.state != SklLogState::Written) return l;
  l.bytes.resize(l.used);
  if (!memory.read(area.base, l.bytes.data(), l.bytes.size())) {
    l.bytes.clear();
    l.state = SklLogState::NotInRam;
    l.error = "the log's extent [" + hex(area.base) + ", +" + hex(l.used) + ") is not all RAM";
  }
  return l;
}

}  // namespace dlsim::svm
