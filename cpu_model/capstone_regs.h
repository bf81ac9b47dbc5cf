// Capstone's general-register ids mapped to dlsim registers and widths, for
// handlers that read or write an instruction's register operands.
#pragma once
#include <optional>

#include "cpu_model/x86_regs.h"

namespace dlsim {

struct CapstoneGpr {
  Reg reg;
  int bytes;  // 2, 4 or 8
};

// nullopt for anything but a 16/32/64-bit general register.
std::optional<CapstoneGpr> capstoneGpr(unsigned capstoneReg);

}  // namespace dlsim
