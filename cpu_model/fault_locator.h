// Finds the instruction that made an access to unmapped memory. Unicorn
// leaves EIP at the start of the translated block when such an access stops
// it, but the general registers hold the state just before the faulting
// instruction; so the first instruction of the block whose memory operand,
// computed from those registers, covers the address is the one.
#pragma once
#include <cstdint>
#include <optional>

namespace dlsim {

class Cpu;

struct FaultingInstruction {
  uint64_t address = 0;  // linear
  uint32_t index = 0;    // position in the block (instructions before it ran)
};

std::optional<FaultingInstruction> locateMemoryFault(Cpu& cpu, uint64_t blockAddr, uint32_t blockSize,
                                                     uint64_t faultAddr);

}  // namespace dlsim
