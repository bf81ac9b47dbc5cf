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

}  // namespace dlsim
