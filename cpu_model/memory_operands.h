// The memory operands of a translated block, and where each points with the
// CPU's registers now. Used at an MMIO callback to find the instruction that
// made the access (Unicorn hands devices only the pieces it split the access
// into; see engine_mmio.h). Inside a block Unicorn keeps EIP at the block's
// start, but the general registers are written back before every memory
// access, so they hold the values the accessing instruction uses.
#pragma once
#include <capstone/capstone.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace dlsim {

class Cpu;

struct MemoryOperand {
  uint32_t index = 0;   // the instruction's position in the block
  uint64_t nextIp = 0;  // linear address after the instruction (RIP-relative operands)
  cs_x86_op op{};
  int addressBits = 32;  // the instruction's address size
};

class BlockMemoryOperands {
 public:
  // Decodes the block at linear [addr, addr+size) unless it is the one
  // decoded last with the same bytes. False when its bytes are not readable.
  bool load(Cpu& cpu, uint64_t addr, uint32_t size);
  const std::vector<MemoryOperand>& operands() const { return operands_; }

 private:
  uint64_t addr_ = ~0ull;
  int bits_ = 0;
  std::vector<uint8_t> bytes_;
  std::vector<MemoryOperand> operands_;
};

// The linear address operand `m` refers to with the registers now, or
// nullopt when a register it uses cannot be read.
std::optional<uint64_t> operandLinear(Cpu& cpu, const MemoryOperand& m);

}  // namespace dlsim
