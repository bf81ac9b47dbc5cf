// Segment descriptors and the segment state the CPU uses now (the hidden
// parts of its segment registers), for exception delivery and linear
// addresses of segment:offset pairs.
#pragma once
#include <cstdint>
#include <optional>

#include "cpu_model/segment_cache.h"
#include "cpu_model/x86_regs.h"

namespace dlsim {

class Cpu;

struct SegmentDescriptor {
  uint64_t base = 0;
  uint32_t limit = 0;  // in bytes (granularity applied)
  uint8_t type = 0;    // 4-bit type field
  bool system = false; // S = 0
  bool present = false;
  uint8_t dpl = 0;
  bool big = false;       // D/B
  bool longMode = false;  // L
  bool code() const { return !system && (type & 8); }
};

// Decodes 8 descriptor bytes.
SegmentDescriptor decodeDescriptor(uint64_t raw);

// A segment register's hidden part as a descriptor (what the CPU uses now).
SegmentDescriptor hiddenDescriptor(Cpu& cpu, SegSlot slot);

// Base of a segment register as the CPU uses it now: its hidden base (what
// the last load put there: selector << 4 in real mode, the descriptor's base
// then, whatever a launch loaded), 0 for DS/ES/SS in 64-bit code. Never read
// from descriptor bytes in memory, which the guest may change after a load.
uint64_t segmentBase(Cpu& cpu, Reg segment);

}  // namespace dlsim
