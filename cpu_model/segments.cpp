#include "cpu_model/segments.h"

#include <unicorn/unicorn.h>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "cpu_model/segment_cache.h"

namespace dlsim {

SegmentDescriptor decodeDescriptor(uint64_t raw) {
  SegmentDescriptor d;
  uint32_t lo = static_cast<uint32_t>(raw), hi = static_cast<uint32_t>(raw >> 32);
  d.base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000u);
  d.limit = (lo & 0xffff) | (hi & 0x000f0000u);
  if (hi & (1u << 23)) d.limit = (d.limit << 12) | 0xfff;
  d.type = (hi >> 8) & 0xf;
  d.system = !(hi & (1u << 12));
  d.dpl = (hi >> 13) & 3;
  d.present = hi & (1u << 15);
  d.longMode = hi & (1u << 21);
  d.big = hi & (1u << 22);
  return d;
}

SegmentDescriptor hiddenDescriptor(Cpu& cpu, SegSlot slot) {
  const HiddenSegment h = readHiddenSegment(cpu.engine().uc(), cpu.engine().scratch(), slot);
  SegmentDescriptor d = decodeDescriptor(static_cast<uint64_t>(h.flags) << 32);
  d.base = h.base;
  d.limit = h.limit;
  return d;
}

uint64_t segmentBase(Cpu& cpu, Reg segment) {
  const RawCpuState raw = readRawCpuState(cpu.engine().uc(), cpu.engine().scratch());
  SegSlot slot = SegSlot::Ds;
  switch (segment) {
    case Reg::Cs: slot = SegSlot::Cs; break;
    case Reg::Ss: slot = SegSlot::Ss; break;
    case Reg::Es: slot = SegSlot::Es; break;
    case Reg::Fs: slot = SegSlot::Fs; break;
    case Reg::Gs: slot = SegSlot::Gs; break;
    default: break;
  }
  // 64-bit code: only FS and GS have a base (QEMU keeps CS's base for its
  // own block addresses, which it also uses for 64-bit code: CS's cache
  // base is what Unicorn adds to RIP, so it is returned for CS).
  if (raw.codeBits() == 64 && slot != SegSlot::Fs && slot != SegSlot::Gs && slot != SegSlot::Cs) return 0;
  return raw.segs[static_cast<int>(slot)].base;
}

}  // namespace dlsim
