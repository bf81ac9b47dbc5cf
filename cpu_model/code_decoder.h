// Capstone decoding of guest code at a linear address, in the code size the
// CPU runs now (new blocks, instruction counts, fault location, traces).
#pragma once
#include <capstone/capstone.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "cpu_model/special_instructions.h"

namespace dlsim {

class Cpu;

class DecodedCode {
 public:
  // Decodes the `size` bytes at `linear` (at most `maxCount` instructions, 0 =
  // all). Decodes nothing when the bytes are not all readable RAM.
  DecodedCode(Cpu& cpu, uint64_t linear, size_t size, size_t maxCount = 0);
  ~DecodedCode();
  DecodedCode(const DecodedCode&) = delete;
  DecodedCode& operator=(const DecodedCode&) = delete;

  bool readable() const { return readable_; }
  size_t count() const { return count_; }
  const cs_insn& operator[](size_t i) const { return insns_[i]; }

 private:
  cs_insn* insns_ = nullptr;
  size_t count_ = 0;
  bool readable_ = false;
};

// The fields a special-instruction handler needs, from a Capstone instruction.
DecodedInsn toDecodedInsn(const cs_insn& in);

// Where the VEX prefix (C4 or C5) of the instruction in `bytes` stands, after
// its legacy prefixes (and REX, which makes VEX #UD); nullopt when the
// instruction has none. Outside 64-bit mode C4/C5 are VEX only when the next
// byte's top bits are 11 (else LES/LDS); in real and virtual-8086 mode they
// are always LES/LDS, which the caller knows (codeBits says 16 there).
std::optional<size_t> vexPrefixAt(const uint8_t* bytes, size_t length, int codeBits);

}  // namespace dlsim
