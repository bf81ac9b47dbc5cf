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
  if (in.detail && in.detail->x86.op_count > 0 && in.detail->x86.operands[0].type == X86_OP_REG) {
    d.regOperand = in.detail->x86.operands[0].reg;
    d.regOperandSize = in.detail->x86.operands[0].size;
  }
  return d;
}

}  // namespace dlsim
