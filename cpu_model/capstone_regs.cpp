#include "cpu_model/capstone_regs.h"

#include <capstone/capstone.h>

namespace dlsim {

std::optional<CapstoneGpr> capstoneGpr(unsigned r) {
  struct Map {
    unsigned r16, r32, r64;
    Reg reg;
  };
  static const Map maps[] = {
      {X86_REG_AX, X86_REG_EAX, X86_REG_RAX, Reg::Rax},    {X86_REG_BX, X86_REG_EBX, X86_REG_RBX, Reg::Rbx},
      {X86_REG_CX, X86_REG_ECX, X86_REG_RCX, Reg::Rcx},    {X86_REG_DX, X86_REG_EDX, X86_REG_RDX, Reg::Rdx},
      {X86_REG_SI, X86_REG_ESI, X86_REG_RSI, Reg::Rsi},    {X86_REG_DI, X86_REG_EDI, X86_REG_RDI, Reg::Rdi},
      {X86_REG_BP, X86_REG_EBP, X86_REG_RBP, Reg::Rbp},    {X86_REG_SP, X86_REG_ESP, X86_REG_RSP, Reg::Rsp},
      {X86_REG_R8W, X86_REG_R8D, X86_REG_R8, Reg::R8},     {X86_REG_R9W, X86_REG_R9D, X86_REG_R9, Reg::R9},
      {X86_REG_R10W, X86_REG_R10D, X86_REG_R10, Reg::R10}, {X86_REG_R11W, X86_REG_R11D, X86_REG_R11, Reg::R11},
      {X86_REG_R12W, X86_REG_R12D, X86_REG_R12, Reg::R12}, {X86_REG_R13W, X86_REG_R13D, X86_REG_R13, Reg::R13},
      {X86_REG_R14W, X86_REG_R14D, X86_REG_R14, Reg::R14}, {X86_REG_R15W, X86_REG_R15D, X86_REG_R15, Reg::R15},
  };
  for (const auto& m : maps) {
    if (r == m.r64) return CapstoneGpr{m.reg, 8};
    if (r == m.r32) return CapstoneGpr{m.reg, 4};
    if (r == m.r16) return CapstoneGpr{m.reg, 2};
  }
  return std::nullopt;
}

}  // namespace dlsim
