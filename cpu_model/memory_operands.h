// The memory operands of a translated block, and where each points with the
// CPU's registers now. Used at an MMIO callback to find the instruction that
// made the access (Unicorn hands devices only the pieces it split the access
// into; see engine_mmio.h). Inside a block Unicorn keeps EIP at the block's
// start, but the general registers are written back before every memory
// access, so they hold the values the accessing instruction uses.
#pragma once
#include <capstone/capstone.h>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace dlsim {

class Cpu;

struct MemoryOperand {
  uint32_t index = 0;   // the instruction's position in the block
  uint64_t address = 0;  // linear address of the instruction
  uint64_t nextIp = 0;  // linear address after the instruction (RIP-relative operands)
  cs_x86_op op{};
  int addressBits = 32;  // the instruction's address size
};

// The memory operands of the code at linear [addr, addr+size) in the CPU's
// code size now, in instruction order; nullopt when the bytes are not readable.
std::optional<std::vector<MemoryOperand>> decodeMemoryOperands(Cpu& cpu, uint64_t addr, uint32_t size);

class BlockMemoryOperands {
 public:
  // The operands of the block at linear [addr, addr+size), decoded once per
  // block and code size while its bytes stay the same; nullptr when its
  // bytes are not readable.
  const std::vector<MemoryOperand>* load(Cpu& cpu, uint64_t addr, uint32_t size);

 private:
  struct Block {
    std::vector<uint8_t> bytes;
    std::vector<MemoryOperand> operands;
  };
  static constexpr size_t kMaxBlocks = 256;  // then all are dropped: MMIO code is a few loops
  std::map<std::pair<uint64_t, int>, Block> blocks_;  // by (address, code size)
};

// Linear addresses of operands with the registers now. Segment bases are read
// once per evaluator (they cannot change between the pieces of one access).
class OperandEvaluator {
 public:
  explicit OperandEvaluator(Cpu& cpu) : cpu_(cpu) {}
  // nullopt when a register the operand uses cannot be read.
  std::optional<uint64_t> linear(const MemoryOperand& m);

 private:
  Cpu& cpu_;
  std::optional<uint64_t> segmentBases_[6];  // ES CS SS DS FS GS
};

}  // namespace dlsim
