#include "cpu_model/special_instructions.h"

#include "sim/errors.h"

namespace dlsim {

void SpecialInstructionRegistry::add(unsigned id, std::string owner, InsnHandler handler) {
  auto [it, inserted] = entries_.emplace(id, Entry{owner, std::move(handler)});
  if (!inserted)
    throw InternalError("instruction id " + std::to_string(id) + " is claimed by both '" + it->second.owner +
                        "' and '" + owner + "'");
}

const InsnHandler* SpecialInstructionRegistry::find(unsigned id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.handler;
}

const std::string* SpecialInstructionRegistry::owner(unsigned id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.owner;
}

void SpecialInstructionRegistry::addGuard(std::string owner, InsnGuard guard) {
  guards_.emplace_back(std::move(owner), std::move(guard));
}

std::optional<InsnOutcome> SpecialInstructionRegistry::guard(Cpu& cpu, const DecodedInsn& insn) const {
  for (const auto& [owner, g] : guards_)
    if (auto o = g(cpu, insn)) return o;
  return std::nullopt;
}

}  // namespace dlsim
