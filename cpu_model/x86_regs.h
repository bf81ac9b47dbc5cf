// Register names dlsim exposes (reports, scenarios, handlers) and their
// Unicorn ids. A Unicorn engine opened in 32-bit mode only accepts 32-bit
// names, one in 64-bit mode the 64-bit ones; Reg hides that.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {

enum class Reg {
  Rax, Rbx, Rcx, Rdx, Rsi, Rdi, Rbp, Rsp,
  R8, R9, R10, R11, R12, R13, R14, R15,
  Rip, Rflags,
  Cr0, Cr2, Cr3, Cr4,
  Cs, Ds, Es, Fs, Gs, Ss,
};

// Lower-case report name ("rax", "cr0", "cs").
const char* regName(Reg r);
// All registers in report order.
const std::vector<Reg>& allRegs();
// Parses a 64-bit name ("rax") or a 32-bit alias ("eax", "eip", "eflags");
// `is32` tells which. nullopt for an unknown name.
std::optional<Reg> parseRegName(const std::string& name, bool* is32 = nullptr);

// Unicorn register id for an engine opened in 64-bit (wide) or 32-bit mode;
// -1 when that engine cannot access it (r8-r15 in a 32-bit engine).
int ucRegId(Reg r, bool wideEngine);

}  // namespace dlsim
