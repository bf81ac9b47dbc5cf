#include "cpu_model/x86_regs.h"

#include <unicorn/unicorn.h>

namespace dlsim {

namespace {
struct RegInfo {
  Reg reg;
  const char* name;
  const char* name32;
  int id64;
  int id32;
};
const RegInfo kRegs[] = {
    {Reg::Rax, "rax", "eax", UC_X86_REG_RAX, UC_X86_REG_EAX},
    {Reg::Rbx, "rbx", "ebx", UC_X86_REG_RBX, UC_X86_REG_EBX},
    {Reg::Rcx, "rcx", "ecx", UC_X86_REG_RCX, UC_X86_REG_ECX},
    {Reg::Rdx, "rdx", "edx", UC_X86_REG_RDX, UC_X86_REG_EDX},
    {Reg::Rsi, "rsi", "esi", UC_X86_REG_RSI, UC_X86_REG_ESI},
    {Reg::Rdi, "rdi", "edi", UC_X86_REG_RDI, UC_X86_REG_EDI},
    {Reg::Rbp, "rbp", "ebp", UC_X86_REG_RBP, UC_X86_REG_EBP},
    {Reg::Rsp, "rsp", "esp", UC_X86_REG_RSP, UC_X86_REG_ESP},
    {Reg::R8, "r8", "r8d", UC_X86_REG_R8, -1},
    {Reg::R9, "r9", "r9d", UC_X86_REG_R9, -1},
    {Reg::R10, "r10", "r10d", UC_X86_REG_R10, -1},
    {Reg::R11, "r11", "r11d", UC_X86_REG_R11, -1},
    {Reg::R12, "r12", "r12d", UC_X86_REG_R12, -1},
    {Reg::R13, "r13", "r13d", UC_X86_REG_R13, -1},
    {Reg::R14, "r14", "r14d", UC_X86_REG_R14, -1},
    {Reg::R15, "r15", "r15d", UC_X86_REG_R15, -1},
    {Reg::Rip, "rip", "eip", UC_X86_REG_RIP, UC_X86_REG_EIP},
    {Reg::Rflags, "rflags", "eflags", UC_X86_REG_RFLAGS, UC_X86_REG_EFLAGS},
    {Reg::Cr0, "cr0", nullptr, UC_X86_REG_CR0, UC_X86_REG_CR0},
    {Reg::Cr2, "cr2", nullptr, UC_X86_REG_CR2, UC_X86_REG_CR2},
    {Reg::Cr3, "cr3", nullptr, UC_X86_REG_CR3, UC_X86_REG_CR3},
    {Reg::Cr4, "cr4", nullptr, UC_X86_REG_CR4, UC_X86_REG_CR4},
    {Reg::Cs, "cs", nullptr, UC_X86_REG_CS, UC_X86_REG_CS},
    {Reg::Ds, "ds", nullptr, UC_X86_REG_DS, UC_X86_REG_DS},
    {Reg::Es, "es", nullptr, UC_X86_REG_ES, UC_X86_REG_ES},
    {Reg::Fs, "fs", nullptr, UC_X86_REG_FS, UC_X86_REG_FS},
    {Reg::Gs, "gs", nullptr, UC_X86_REG_GS, UC_X86_REG_GS},
    {Reg::Ss, "ss", nullptr, UC_X86_REG_SS, UC_X86_REG_SS},
};
}  // namespace

const char* regName(Reg r) { return kRegs[static_cast<int>(r)].name; }

const std::vector<Reg>& allRegs() {
  static const std::vector<Reg> all = [] {
    std::vector<Reg> v;
    for (const auto& i : kRegs) v.push_back(i.reg);
    return v;
  }();
  return all;
}

std::optional<Reg> parseRegName(const std::string& name, bool* is32) {
  for (const auto& i : kRegs) {
    if (name == i.name) {
      if (is32) *is32 = false;
      return i.reg;
    }
    if (i.name32 && name == i.name32) {
      if (is32) *is32 = true;
      return i.reg;
    }
  }
  return std::nullopt;
}

int ucRegId(Reg r, bool wide) {
  const RegInfo& i = kRegs[static_cast<int>(r)];
  return wide ? i.id64 : i.id32;
}

}  // namespace dlsim
