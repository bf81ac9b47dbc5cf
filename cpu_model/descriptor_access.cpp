#include "cpu_model/descriptor_access.h"

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"

namespace dlsim {

std::optional<RawDescriptor> readRawDescriptor(Cpu& cpu, uint16_t selector, const std::optional<uc_x86_mmr>& ldt) {
  if ((selector & 0xfffc) == 0) return std::nullopt;
  uc_x86_mmr table{};
  if (selector & 4) {
    if (ldt) table = *ldt;
    else uc_reg_read(cpu.engine().uc(), UC_X86_REG_LDTR, &table);
  } else {
    uc_reg_read(cpu.engine().uc(), UC_X86_REG_GDTR, &table);
  }
  const uint32_t index = selector & 0xfff8u;
  if (index + 7 > table.limit) return std::nullopt;
  RawDescriptor r;
  r.address = table.base + index;
  if (!cpu.readLinear(r.address, &r.raw, 8)) return std::nullopt;
  r.d = decodeDescriptor(r.raw);
  return r;
}

bool writeDescriptorHigh(Cpu& cpu, const RawDescriptor& d, uint32_t high) {
  return cpu.writeLinear(d.address + 4, &high, 4);
}

HiddenSegment hiddenFrom(SegSlot slot, uint16_t selector, const RawDescriptor& d) {
  return HiddenSegment{slot, selector, d.d.base, d.d.limit, d.high()};
}

}  // namespace dlsim
