#include "cpu_model/fault_locator.h"

#include "cpu_model/memory_operands.h"

namespace dlsim {

std::optional<FaultingInstruction> locateMemoryFault(Cpu& cpu, uint64_t blockAddr, uint32_t blockSize,
                                                     uint64_t from, uint64_t faultAddr) {
  const auto operands = decodeMemoryOperands(cpu, blockAddr, blockSize);
  if (!operands) return std::nullopt;
  OperandEvaluator eval(cpu);
  for (const MemoryOperand& m : *operands) {
    if (m.address < from) continue;  // ran before EIP was written back
    const auto linear = eval.linear(m);
    if (!linear) continue;
    const uint64_t size = m.op.size ? m.op.size : 1;
    if (faultAddr >= *linear && faultAddr < *linear + size) return FaultingInstruction{m.address, m.index};
  }
  return std::nullopt;
}

}  // namespace dlsim
