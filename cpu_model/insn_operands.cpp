#include "cpu_model/insn_operands.h"

#include "cpu_model/capstone_regs.h"
#include "cpu_model/cpu.h"
#include "cpu_model/memory_operands.h"

namespace dlsim {

std::optional<uint64_t> memoryOperandLinear(Cpu& cpu, const DecodedInsn& insn) {
  auto ops = decodeMemoryOperands(cpu, insn.address, insn.length);
  if (!ops || ops->size() != 1) return std::nullopt;
  OperandEvaluator eval(cpu);
  return eval.linear(ops->front());
}

std::optional<uint64_t> readOperand(Cpu& cpu, const DecodedInsn& insn, int k) {
  if (k < 0 || k >= insn.operandCount) return std::nullopt;
  const DecodedInsn::Operand& op = insn.operands[k];
  const uint64_t mask = op.size >= 8 ? ~0ull : (1ull << (op.size * 8)) - 1;
  if (op.kind == DecodedInsn::Operand::Kind::Reg) {
    auto g = capstoneGpr(op.reg);
    if (!g) return std::nullopt;
    return cpu.reg(g->reg) & mask;
  }
  if (op.kind != DecodedInsn::Operand::Kind::Mem || op.size == 0 || op.size > 8) return std::nullopt;
  auto linear = memoryOperandLinear(cpu, insn);
  uint8_t b[8] = {};
  if (!linear || !cpu.readLinear(*linear, b, op.size)) return std::nullopt;
  uint64_t v = 0;
  for (int i = op.size - 1; i >= 0; --i) v = v << 8 | b[i];
  return v;
}

bool writeRegisterOperand(Cpu& cpu, const DecodedInsn& insn, int k, uint64_t value) {
  if (k < 0 || k >= insn.operandCount || insn.operands[k].kind != DecodedInsn::Operand::Kind::Reg) return false;
  if (!capstoneGpr(insn.operands[k].reg)) return false;
  cpu.setCapstoneReg(insn.operands[k].reg, value);
  return true;
}

}  // namespace dlsim
