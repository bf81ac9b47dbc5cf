// Raw GDT/LDT descriptors for exception delivery and task switches: where a
// selector's descriptor lives, its 8 bytes, and the hidden segment-register
// value it loads. (segments.h decodes descriptors for reading; this file is
// for the paths that also write them back, e.g. the TSS busy bit.)
#pragma once
#include <unicorn/unicorn.h>

#include <cstdint>
#include <optional>
#include <string>

#include "cpu_model/segment_cache.h"
#include "cpu_model/segments.h"

namespace dlsim {

class Cpu;

struct RawDescriptor {
  uint64_t address = 0;  // linear address of the 8 bytes
  uint64_t raw = 0;
  SegmentDescriptor d;
  uint32_t high() const { return static_cast<uint32_t>(raw >> 32); }
};

// The descriptor `selector` names in the GDT, or in the LDT `ldt` (the
// current LDTR when not given). nullopt: null selector, beyond the table
// limit, or not readable.
std::optional<RawDescriptor> readRawDescriptor(Cpu& cpu, uint16_t selector,
                                               const std::optional<uc_x86_mmr>& ldt = std::nullopt);

// Writes the high dword back (busy bit of a TSS descriptor).
bool writeDescriptorHigh(Cpu& cpu, const RawDescriptor& d, uint32_t high);

// The hidden segment-register value a descriptor loads.
HiddenSegment hiddenFrom(SegSlot slot, uint16_t selector, const RawDescriptor& d);

// The error code of a selector-related fault: selector index and TI, plus EXT.
inline uint32_t selectorError(uint16_t selector, uint32_t ext) { return (selector & 0xfffcu) | ext; }

}  // namespace dlsim
