// Finds the instruction that made an access to unmapped memory. Unicorn
// does not write EIP back when such an access stops it: EIP holds the start
// of the translated block, or the address of the last instruction in the
// block before which Unicorn wrote it back (it does so before calling a
// helper that may raise or run a hook, CPUID for one). The general registers
// hold the state just before the faulting instruction; so the first
// instruction at or after EIP whose memory operand, computed from those
// registers, covers the address is the one.
#pragma once
#include <cstdint>
#include <optional>

namespace dlsim {

class Cpu;

struct FaultingInstruction {
  uint64_t address = 0;  // linear
  uint32_t index = 0;    // position in the block (instructions before it ran)
};

// `from`: the linear address EIP holds, inside the block.
std::optional<FaultingInstruction> locateMemoryFault(Cpu& cpu, uint64_t blockAddr, uint32_t blockSize,
                                                     uint64_t from, uint64_t faultAddr);

}  // namespace dlsim
