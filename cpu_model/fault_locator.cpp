#include "cpu_model/fault_locator.h"

#include <capstone/capstone.h>

#include <vector>

#include "cpu_model/cpu.h"
#include "cpu_model/segments.h"

namespace dlsim {

namespace {

// Value of a Capstone general register (any width), or nullopt.
std::optional<uint64_t> capstoneRegValue(Cpu& cpu, unsigned r, uint64_t nextIp) {
  struct Map {
    unsigned r16, r32, r64;
    Reg reg;
  };
  static const Map maps[] = {
      {X86_REG_AX, X86_REG_EAX, X86_REG_RAX, Reg::Rax},    {X86_REG_BX, X86_REG_EBX, X86_REG_RBX, Reg::Rbx},
      {X86_REG_CX, X86_REG_ECX, X86_REG_RCX, Reg::Rcx},    {X86_REG_DX, X86_REG_EDX, X86_REG_RDX, Reg::Rdx},
      {X86_REG_SI, X86_REG_ESI, X86_REG_RSI, Reg::Rsi},    {X86_REG_DI, X86_REG_EDI, X86_REG_RDI, Reg::Rdi},
      {X86_REG_BP, X86_REG_EBP, X86_REG_RBP, Reg::Rbp},    {X86_REG_SP, X86_REG_ESP, X86_REG_RSP, Reg::Rsp},
      {X86_REG_R8W, X86_REG_R8D, X86_REG_R8, Reg::R8},     {X86_REG_R9W, X86_REG_R9D, X86_REG_R9, Reg::R9},
      {X86_REG_R10W, X86_REG_R10D, X86_REG_R10, Reg::R10}, {X86_REG_R11W, X86_REG_R11D, X86_REG_R11, Reg::R11},
      {X86_REG_R12W, X86_REG_R12D, X86_REG_R12, Reg::R12}, {X86_REG_R13W, X86_REG_R13D, X86_REG_R13, Reg::R13},
      {X86_REG_R14W, X86_REG_R14D, X86_REG_R14, Reg::R14}, {X86_REG_R15W, X86_REG_R15D, X86_REG_R15, Reg::R15},
  };
  if (r == X86_REG_INVALID) return 0;
  if (r == X86_REG_RIP || r == X86_REG_EIP) return nextIp;
  for (const auto& m : maps) {
    if (r == m.r64) return cpu.reg(m.reg);
    if (r == m.r32) return cpu.reg(m.reg) & 0xffffffffull;
    if (r == m.r16) return cpu.reg(m.reg) & 0xffff;
  }
  return std::nullopt;
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
                                                     uint64_t faultAddr) {
  std::vector<uint8_t> bytes(blockSize);
  if (!cpu.readLinear(blockAddr, bytes.data(), blockSize)) return std::nullopt;
  const int bits = cpu.codeBits();
  const uint64_t addrMask = bits == 64 ? ~0ull : bits == 32 ? 0xffffffffull : 0xffffull;
  cs_insn* insns = nullptr;
  size_t n = cs_disasm(cpu.capstone(bits), bytes.data(), bytes.size(), blockAddr, 0, &insns);
  std::optional<FaultingInstruction> found;
  for (size_t i = 0; i < n && !found; ++i) {
    const cs_x86& x = insns[i].detail->x86;
    const uint64_t next = insns[i].address + insns[i].size;
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
        found = FaultingInstruction{insns[i].address, static_cast<uint32_t>(i)};
        break;
      }
    }
  }
  if (insns) cs_free(insns, n);
  return found;
}

}  // namespace dlsim
