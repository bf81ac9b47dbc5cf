#include "cpu_model/memory_operands.h"

#include "cpu_model/capstone_regs.h"
#include "cpu_model/code_decoder.h"
#include "cpu_model/cpu.h"
#include "cpu_model/segments.h"

namespace dlsim {

namespace {

std::optional<uint64_t> addressRegister(Cpu& cpu, unsigned r, uint64_t nextIp) {
  if (r == X86_REG_INVALID) return 0;
  if (r == X86_REG_RIP || r == X86_REG_EIP) return nextIp;
  auto g = capstoneGpr(r);
  if (!g) return std::nullopt;
  const uint64_t v = cpu.reg(g->reg);
  return g->bytes == 8 ? v : g->bytes == 4 ? (v & 0xffffffffull) : (v & 0xffff);
}

// The segment an operand uses: its override, else SS for stack-based
// addressing, else DS.
Reg operandSegment(const x86_op_mem& m) {
  switch (m.segment) {
    case X86_REG_ES: return Reg::Es;
    case X86_REG_CS: return Reg::Cs;
    case X86_REG_SS: return Reg::Ss;
    case X86_REG_FS: return Reg::Fs;
    case X86_REG_GS: return Reg::Gs;
    case X86_REG_DS: return Reg::Ds;
    default: break;
  }
  switch (m.base) {
    case X86_REG_SP: case X86_REG_BP: case X86_REG_ESP: case X86_REG_EBP: case X86_REG_RSP: case X86_REG_RBP:
      return Reg::Ss;
    default: return Reg::Ds;
  }
}

}  // namespace

std::optional<std::vector<MemoryOperand>> decodeMemoryOperands(Cpu& cpu, uint64_t addr, uint32_t size) {
  DecodedCode code(cpu, addr, size);
  if (!code.readable()) return std::nullopt;
  const int bits = cpu.codeBits();
  std::vector<MemoryOperand> out;
  for (size_t i = 0; i < code.count(); ++i) {
    const cs_insn& in = code[i];
    const cs_x86& x = in.detail->x86;
    // An address-size prefix (0x67) switches between 16 and 32 bits, or 64 and 32.
    bool addrOverride = false;
    for (uint8_t p : x.prefix) addrOverride |= p == 0x67;
    const int addressBits = !addrOverride ? bits : bits == 32 ? 16 : 32;
    for (uint8_t k = 0; k < x.op_count; ++k) {
      if (x.operands[k].type != X86_OP_MEM) continue;
      out.push_back({static_cast<uint32_t>(i), in.address, in.address + in.size, x.operands[k], addressBits});
    }
  }
  return out;
}

const std::vector<MemoryOperand>* BlockMemoryOperands::load(Cpu& cpu, uint64_t addr, uint32_t size) {
  std::vector<uint8_t> now(size);
  if (!cpu.readLinear(addr, now.data(), size)) return nullptr;
  const auto key = std::make_pair(addr, cpu.codeBits());
  if (auto it = blocks_.find(key); it != blocks_.end() && it->second.bytes == now) return &it->second.operands;
  auto operands = decodeMemoryOperands(cpu, addr, size);
  if (!operands) return nullptr;
  if (blocks_.size() >= kMaxBlocks) blocks_.clear();
  Block& b = blocks_[key];
  b.bytes = std::move(now);
  b.operands = std::move(*operands);
  return &b.operands;
}

std::optional<uint64_t> OperandEvaluator::linear(const MemoryOperand& m) {
  const x86_op_mem& mem = m.op.mem;
  auto base = addressRegister(cpu_, mem.base, m.nextIp);
  auto index = addressRegister(cpu_, mem.index, m.nextIp);
  if (!base || !index) return std::nullopt;
  const uint64_t mask = m.addressBits == 64 ? ~0ull : m.addressBits == 32 ? 0xffffffffull : 0xffffull;
  const uint64_t ea = (*base + *index * static_cast<uint64_t>(mem.scale) + static_cast<uint64_t>(mem.disp)) & mask;
  const Reg seg = operandSegment(mem);
  const int slot = seg == Reg::Es ? 0 : seg == Reg::Cs ? 1 : seg == Reg::Ss ? 2 : seg == Reg::Ds ? 3 : seg == Reg::Fs ? 4 : 5;
  if (!segmentBases_[slot]) segmentBases_[slot] = segmentBase(cpu_, seg);
  return *segmentBases_[slot] + ea;
}

}  // namespace dlsim
