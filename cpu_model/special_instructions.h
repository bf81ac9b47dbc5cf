// The registry of instructions dlsim emulates itself. The CPU finds them by
// decoding each newly seen basic block with Capstone and hooking their
// addresses (for instructions Unicorn would execute natively, like RDTSC), or
// through Unicorn's invalid-instruction hook (GETSEC, SKINIT, MONITOR...).
// Models add handlers for the instructions they own: GETSEC belongs to the
// TXT model, SKINIT to the SVM model.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {

class Cpu;

struct DecodedInsn {
  uint64_t address = 0;  // linear
  uint8_t length = 0;
  unsigned id = 0;       // Capstone x86_insn
  uint8_t bytes[16] = {};
  // The operands in Capstone's order (Intel syntax: destination first), so
  // handlers need not decode prefixes and ModRM again. A memory operand's
  // address comes from decodeMemoryOperands (memory_operands.h), which knows
  // its segment and address size.
  struct Operand {
    enum class Kind : uint8_t { None, Reg, Mem, Imm };
    Kind kind = Kind::None;
    unsigned reg = 0;  // Capstone x86_reg for Kind::Reg
    uint8_t size = 0;  // bytes
  };
  static constexpr int kMaxOperands = 4;
  Operand operands[kMaxOperands] = {};
  uint8_t operandCount = 0;
  // Instructions after this one in the basic block it was found in; -1 when
  // not known (found through the invalid-opcode path).
  int32_t afterInBlock = -1;
};

enum class InsnOutcome {
  Done,      // emulated; the handler did NOT move the IP: the CPU advances it past the instruction
  Jumped,    // emulated; the handler set the IP itself
  Yield,     // emulated (IP advanced by the CPU); the CPU gives up the rest of its quantum (PAUSE, MWAIT, HLT)
  RaiseGP,   // #GP(0) at the instruction
  RaiseUD,   // #UD at the instruction
  Stop,      // the handler changed CPU/machine state that needs the run loop (IP already set by the handler)
};

using InsnHandler = std::function<InsnOutcome(Cpu&, const DecodedInsn&)>;

// A model's look at every emulated instruction before its handler runs
// (whoever owns it): a CPU in a guest mode the model defines (VMX non-root
// operation, an SVM guest) may have to take a VM exit or #VMEXIT instead,
// or stop the run naming one the model does not emulate. nullopt: the
// instruction's own handler runs.
using InsnGuard = std::function<std::optional<InsnOutcome>(Cpu&, const DecodedInsn&)>;

class SpecialInstructionRegistry {
 public:
  // Throws InternalError when `capstoneId` already has a handler.
  void add(unsigned capstoneId, std::string owner, InsnHandler handler);
  const InsnHandler* find(unsigned capstoneId) const;
  const std::string* owner(unsigned capstoneId) const;
  // Guards run in the order added; the first to return an outcome decides.
  void addGuard(std::string owner, InsnGuard guard);
  std::optional<InsnOutcome> guard(Cpu& cpu, const DecodedInsn& insn) const;

 private:
  struct Entry {
    std::string owner;
    InsnHandler handler;
  };
  std::map<unsigned, Entry> entries_;
  std::vector<std::pair<std::string, InsnGuard>> guards_;
};

}  // namespace dlsim
