// Segment descriptors read from the guest's GDT/LDT, for exception delivery,
// code-size decisions and linear addresses of segment:offset pairs.
#pragma once
#include <cstdint>
#include <optional>

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

// Reads the descriptor `selector` names (GDT or LDT); nullopt for a null
// selector, one beyond the table limit, or unreadable memory.
std::optional<SegmentDescriptor> readSegmentDescriptor(Cpu& cpu, uint16_t selector);

// Decodes 8 descriptor bytes.
SegmentDescriptor decodeDescriptor(uint64_t raw);

// Base of a segment register as the CPU uses it now: selector << 4 in real
// mode, 0 for CS/DS/ES/SS in 64-bit mode, else the descriptor's base.
uint64_t segmentBase(Cpu& cpu, Reg segment);

}  // namespace dlsim
