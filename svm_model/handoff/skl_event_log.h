// SKL's DRTM event log, read back from guest memory after a run: where the
// hand-off told SKL to write it (the SLRT's LOG_INFO entry, or the tags2023
// EVENT_LOG tag) and how much of that area SKL's log fills, so the report
// can show it and `dlsim run --event-log-out` can hand it to `dlsim eventlog`.
//
// SKL (event_log.c, spec amd-skinit.md 4.4) zeroes the area, then writes a
// TCG_PCR_EVENT header event (PCR 0, EV_NO_ACTION, 32 bytes) whose data is
//   format 2 (TPM 2.0): "Spec ID Event03", the algorithm list, and as vendor
//     info (20 bytes) {u64 log address, u32 allocated size, u32
//     first_record_offset, u32 next_record_offset}: the log's extent is
//     [0, next_record_offset) from the area's base;
//   format 1 (TPM 1.2): "Spec ID Event00" and as vendor info (48 bytes) the
//     "TXT Event Container" header at +57, whose next_event_offset counts
//     from that header: the extent is [0, 57 + next_event_offset).
// Only the extent is worked out here (every length checked against the
// area); the records themselves are the TPM model's to parse and replay
// (tpm.event_log with format tcg2 / sha1 at the same address), as for TXT.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "svm_model/handoff/handoff_builder.h"

namespace dlsim {
class GuestMemory;
}

namespace dlsim::svm {

// Where the hand-off (after overrides) put the log.
struct SklLogArea {
  std::string where;  // "SLRT LOG_INFO" | "tag list EVENT_LOG"
  uint64_t base = 0;
  uint64_t size = 0;
  uint16_t format = kLogFormatTpm20Tcg;  // tags2023: from the TPM family (SKL master picks by it)
  bool operator==(const SklLogArea&) const = default;
};

// LOG_INFO's addr/size/format, or the EVENT_LOG tag's address/size with
// handoffLogFormat(d).
SklLogArea sklLogArea(const Handoff& h, const HandoffDesc& d);

// The largest extent read back (a log area may be up to 4 GiB).
inline constexpr uint64_t kSklLogMaxRead = 64ull << 20;

enum class SklLogState {
  Written,    // a header SKL's way, extent found: `bytes` holds it
  Empty,      // the header event is all zero: SKL wrote nothing (or never ran)
  Malformed,  // a header or length that does not fit: `error` says which
  NotInRam,   // the area (or its extent) is not all RAM
};
const char* sklLogStateName(SklLogState s);  // "written" | "empty" | "malformed" | "not-in-ram"

struct SklEventLog {
  SklLogArea area;
  SklLogState state = SklLogState::Empty;
  std::string error;           // Malformed / NotInRam: why, naming the field and value
  uint64_t used = 0;           // the extent in bytes (Written)
  std::vector<uint8_t> bytes;  // [base, base + used) (Written)
  bool operator==(const SklEventLog&) const = default;
};

// The extent of the log in `head` (the area's first bytes, at most its
// size; 4 KiB hold any header SKL writes) for an area of `area.size` bytes.
// Written: `used` set; Malformed: `error` names the field ("header event
// size", "next_record_offset", ...) and its value. `bytes` is left empty.
SklEventLog sklLogExtent(const SklLogArea& area, std::span<const uint8_t> head);

// Reads the area's head from `memory`, works out the extent, reads it.
SklEventLog readSklEventLog(const GuestMemory& memory, const SklLogArea& area);

}  // namespace dlsim::svm
