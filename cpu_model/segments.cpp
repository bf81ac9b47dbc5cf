#include "cpu_model/segments.h"

#include <unicorn/unicorn.h>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"

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

std::optional<SegmentDescriptor> readSegmentDescriptor(Cpu& cpu, uint16_t selector) {
  if ((selector & 0xfffc) == 0) return std::nullopt;
  uc_x86_mmr table{};
  uc_reg_read(cpu.engine().uc(), (selector & 4) ? UC_X86_REG_LDTR : UC_X86_REG_GDTR, &table);
  uint32_t index = selector & 0xfff8u;
  if (index + 7 > table.limit) return std::nullopt;
  uint64_t raw = 0;
  if (!cpu.readLinear(table.base + index, &raw, 8)) return std::nullopt;
  return decodeDescriptor(raw);
}

uint64_t segmentBase(Cpu& cpu, Reg segment) {
  uint16_t sel = static_cast<uint16_t>(cpu.reg(segment));
  if (!(cpu.reg(Reg::Cr0) & 1)) return static_cast<uint64_t>(sel) << 4;
  if (cpu.inLongMode()) {
    if (segment == Reg::Fs) return cpu.engineMsr(0xc0000100);
    if (segment == Reg::Gs) return cpu.engineMsr(0xc0000101);
    auto cs = readSegmentDescriptor(cpu, static_cast<uint16_t>(cpu.reg(Reg::Cs)));
    if (!cs || cs->longMode) return 0;
  }
  auto d = readSegmentDescriptor(cpu, sel);
  return d ? d->base : 0;
}

}  // namespace dlsim
