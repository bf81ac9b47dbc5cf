#include "cpu_model/code_decoder.h"

#include <cstring>
#include <vector>

#include "cpu_model/cpu.h"

namespace dlsim {

DecodedCode::DecodedCode(Cpu& cpu, uint64_t linear, size_t size, size_t maxCount) {
  std::vector<uint8_t> bytes(size);
  readable_ = cpu.readLinear(linear, bytes.data(), size);
  if (readable_) count_ = cs_disasm(cpu.capstone(cpu.codeBits()), bytes.data(), size, linear, maxCount, &insns_);
}

DecodedCode::~DecodedCode() {
  if (insns_) cs_free(insns_, count_);
}

DecodedInsn toDecodedInsn(const cs_insn& in) {
  DecodedInsn d;
  d.address = in.address;
  d.length = static_cast<uint8_t>(in.size);
  d.id = in.id;
  std::memcpy(d.bytes, in.bytes, in.size);
  if (!in.detail) return d;
  const cs_x86& x = in.detail->x86;
  using Kind = DecodedInsn::Operand::Kind;
  for (uint8_t k = 0; k < x.op_count && k < DecodedInsn::kMaxOperands; ++k) {
    const cs_x86_op& op = x.operands[k];
    DecodedInsn::Operand& o = d.operands[d.operandCount++];
    o.kind = op.type == X86_OP_REG ? Kind::Reg : op.type == X86_OP_MEM ? Kind::Mem : op.type == X86_OP_IMM ? Kind::Imm : Kind::None;
    if (op.type == X86_OP_REG) o.reg = op.reg;
    o.size = op.size;
  }
  return d;
}

std::optional<size_t> vexPrefixAt(const uint8_t* b, size_t n, int codeBits) {
  size_t i = 0;
  auto legacy = [](uint8_t x) {
    switch (x) {
      case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:  // segment
      case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:             // sizes, LOCK, REP
        return true;
      default: return false;
    }
  };
  while (i < n && (legacy(b[i]) || (codeBits == 64 && (b[i] & 0xF0) == 0x40))) ++i;
  if (i + 1 >= n || (b[i] != 0xC4 && b[i] != 0xC5)) return std::nullopt;
  if (codeBits != 64 && (b[i + 1] & 0xC0) != 0xC0) return std::nullopt;
  return i;
}

}  // namespace dlsim
