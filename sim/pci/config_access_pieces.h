// How a configuration access that does not stay inside one dword reaches the
// functions: split at dword boundaries, each part as the largest naturally
// aligned 4, 2 or 1 bytes that fit, ascending (an aligned 8-byte ECAM access
// becomes two dwords, low first; 4 bytes at register 0x2 become two words).
// A function only ever sees accesses of 1, 2 or 4 bytes inside one dword
// (sim/pci/pci_function.h).
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim {

struct ConfigPiece {
  uint64_t offset = 0;  // where the piece starts, counted as the access's offset is
  unsigned size = 0;    // 1, 2 or 4
};

// The pieces of `size` bytes (1..8) at `offset`, ascending.
std::vector<ConfigPiece> configAccessPieces(uint64_t offset, unsigned size);

}  // namespace dlsim
