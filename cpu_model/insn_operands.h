// Reading and writing the operands of an instruction dlsim executes itself
// (DecodedInsn::operands), for handlers that compute like an ordinary
// instruction (MOVBE, the BMI1/ABM group): registers through Capstone's ids,
// the memory operand through its linear address with the registers now.
#pragma once
#include <cstdint>
#include <optional>

#include "cpu_model/special_instructions.h"

namespace dlsim {

class Cpu;

// The linear address of the instruction's one memory operand; nullopt when it
// has none or more, or a register of its address cannot be read.
std::optional<uint64_t> memoryOperandLinear(Cpu& cpu, const DecodedInsn& insn);

// Operand k's value, zero-extended from its size: a general register, or
// little-endian bytes at the memory operand. nullopt when operand k is
// neither, or the memory cannot be read.
std::optional<uint64_t> readOperand(Cpu& cpu, const DecodedInsn& insn, int k);

// Writes a register operand as the CPU does: a 32-bit register zero-extends
// into 64 bits, a 16-bit one keeps the rest. False when operand k is not a
// 16/32/64-bit general register.
bool writeRegisterOperand(Cpu& cpu, const DecodedInsn& insn, int k, uint64_t value);

}  // namespace dlsim
