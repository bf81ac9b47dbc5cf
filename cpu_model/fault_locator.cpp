#include "cpu_model/fault_locator.h"

#include <capstone/capstone.h>

#include <vector>

#include "cpu_model/capstone_regs.h"
#include "cpu_model/code_decoder.h"
#include "cpu_model/cpu.h"
#include "cpu_model/segments.h"

namespace dlsim {

namespace {

// Value of a Capstone general register (any width), or nullopt.
std::optional<uint64_t> capstoneRegValue(Cpu& cpu, unsigned r, uint64_t nextIp) {
  if (r == X86_REG_INVALID) return 0;
  if (r == X86_REG_RIP || r == X86_REG_EIP) return nextIp;
  auto g = capstoneGpr(r);
  if (!g) return std::nullopt;
  uint64_t v = cpu.reg(g->reg);
  return g->bytes == 8 ? v : g->bytes == 4 ? (v & 0xffffffffull) : (v & 0xffff);
}

uint64_t segmentOf(Cpu& cpu, unsigned seg, unsigned base) {
  Reg s = Reg::Ds;
  if (seg == X86_REG_FS) s = Reg::Fs;
  else if (seg == X86_REG_GS) s = Reg::Gs;
  else if (seg == X86_REG_ES) s = Reg::Es;
  else if (seg == X86_REG_CS) s = Reg::Cs;
  else if (seg == X86_REG_SS || base == X86_REG_ESP || base == X86_REG_EBP || base == X86_REG_RSP ||
           base == X86_REG_RBP || base == X86_REG_SP || base == X86_REG_BP)
    s = Reg::Ss;
  return segmentBase(cpu, s);
}

}  // namespace

std::optional<FaultingInstruction> locateMemoryFault(Cpu& cpu, uint64_t blockAddr, uint32_t blockSize,
                                                     uint64_t from, uint64_t faultAddr) {
  DecodedCode code(cpu, blockAddr, blockSize);
  if (!code.readable()) return std::nullopt;
  const int bits = cpu.codeBits();
  const uint64_t addrMask = bits == 64 ? ~0ull : bits == 32 ? 0xffffffffull : 0xffffull;
  const size_t n = code.count();
  std::optional<FaultingInstruction> found;
  for (size_t i = 0; i < n && !found; ++i) {
    if (code[i].address < from) continue;  // ran before EIP was written back
    const cs_x86& x = code[i].detail->x86;
    const uint64_t next = code[i].address + code[i].size;
    for (uint8_t k = 0; k < x.op_count; ++k) {
      const cs_x86_op& op = x.operands[k];
      if (op.type != X86_OP_MEM) continue;
      auto base = capstoneRegValue(cpu, op.mem.base, next);
      auto index = capstoneRegValue(cpu, op.mem.index, next);
      if (!base || !index) continue;
      uint64_t ea = (*base + *index * static_cast<uint64_t>(op.mem.scale) + static_cast<uint64_t>(op.mem.disp)) & addrMask;
      uint64_t linear = segmentOf(cpu, op.mem.segment, op.mem.base) + ea;
      uint64_t size = op.size ? op.size : 1;
      if (faultAddr >= linear && faultAddr < linear + size) {
        found = FaultingInstruction{code[i].address, static_cast<uint32_t>(i)};
        break;
      }
    }
  }
  return found;
}

}  // namespace dlsim
