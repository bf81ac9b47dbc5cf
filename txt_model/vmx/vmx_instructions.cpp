// VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE and VMCALL as
// the SDM's operation sections give them (vol. 2 / 3C "VMX instruction
// reference"), in their order of checks. A-20M and the dual-monitor
// treatment of SMIs are not modelled (never active).
#include <capstone/capstone.h>

#include "cpu_model/capstone_regs.h"
#include "cpu_model/code_decoder.h"
#include "cpu_model/cpu.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "txt_model/vmx/vmcs_fields.h"
#include "txt_model/vmx/vmx.h"

namespace dlsim::txt {

namespace {
constexpr uint64_t kCr0Pe = 1, kCr4Vmxe = 1u << 13;
constexpr uint64_t kEflagsVm = 1u << 17;
constexpr uint64_t kFcLock = 1, kFcVmxInSmx = 2, kFcVmxOutsideSmx = 4;

// A VMREAD/VMWRITE operand: a general register (Capstone id) or memory.
struct RegOrMem {
  unsigned reg = 0;  // X86_REG_INVALID for memory
};

// The two operands of VMREAD (r/m, r) or VMWRITE (r, r/m).
bool operands(Cpu& cpu, const DecodedInsn& insn, RegOrMem& first, RegOrMem& second) {
  DecodedCode code(cpu, insn.address, insn.length, 1);
  if (code.count() != 1 || !code[0].detail || code[0].detail->x86.op_count != 2) return false;
  const cs_x86& x = code[0].detail->x86;
  first.reg = x.operands[0].type == X86_OP_REG ? x.operands[0].reg : X86_REG_INVALID;
  second.reg = x.operands[1].type == X86_OP_REG ? x.operands[1].reg : X86_REG_INVALID;
  return true;
}

uint64_t readGpr(Cpu& cpu, unsigned capstoneReg) {
  auto g = capstoneGpr(capstoneReg);
  if (!g) return 0;
  const uint64_t v = cpu.reg(g->reg);
  return g->bytes == 8 ? v : g->bytes == 4 ? (v & 0xffffffffull) : (v & 0xffff);
}
}  // namespace

InsnOutcome Vmx::vmxon(Cpu& cpu, const DecodedInsn& insn) {
  VmxCpuState& s = at(cpu.index());
  const uint64_t cr0 = cpu.reg(Reg::Cr0), cr4 = cpu.reg(Reg::Cr4);
  const bool compatibilityMode = cpu.inLongMode() && cpu.codeBits() != 64;
  if (!(cr4 & kCr4Vmxe) || !(cr0 & kCr0Pe) || (cpu.reg(Reg::Rflags) & kEflagsVm) || compatibilityMode)
    return InsnOutcome::RaiseUD;
  if (s.on) {
    if (s.nonRoot) return unsupported(cpu, "VMXON in VMX non-root operation (its VM exit)");
    if ((cpu.reg(Reg::Cs) & 3) != 0) return InsnOutcome::RaiseGP;
    return fail(cpu, kErrVmxonInRoot);
  }
  // Outside VMX operation: CPL 0, CR0 and CR4 as VMX operation fixes them,
  // IA32_FEATURE_CONTROL locked with VMX enabled in (or outside) SMX.
  const uint64_t fc = config_.featureControl ? config_.featureControl(cpu.index()) : 0;
  const bool smx = config_.inSmx && config_.inSmx();
  if ((cpu.reg(Reg::Cs) & 3) != 0 || !config_.caps.cr0Fits(cr0) || !config_.caps.cr4Fits(cr4) || !(fc & kFcLock) ||
      (smx && !(fc & kFcVmxInSmx)) || (!smx && !(fc & kFcVmxOutsideSmx)))
    return InsnOutcome::RaiseGP;
  InsnOutcome fault{};
  auto addr = readOperand64(cpu, insn, fault);
  if (!addr) return fault;
  if (!addressOk(cpu, *addr)) return failInvalid(cpu);
  uint32_t rev = 0;
  if (!memory_.read(*addr, &rev, 4)) return unsupported(cpu, "VMXON region at " + hex(*addr) + " is not in RAM");
  if (rev != config_.caps.revisionId()) return failInvalid(cpu);  // bit 31 set never matches
  s.entered = s.on = true;
  s.nonRoot = false;
  s.vmxonPointer = *addr;
  s.current = kNoVmcs;
  // VMXON also blocks INIT (onIpi holds it) and clears address-range monitoring.
  cpu.disarmMonitor();
  return succeed(cpu);
}

InsnOutcome Vmx::vmxoff(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = commonChecks(cpu, "VMXOFF")) return *o;
  VmxCpuState& s = at(cpu.index());
  const bool initHeld = s.initHeld;
  s.on = false;
  s.nonRoot = false;
  s.initHeld = false;
  succeed(cpu);
  if (!initHeld) return InsnOutcome::Done;
  // INIT is no longer blocked: the held one takes the CPU to wait-for-SIPI.
  cpu.setIp(cpu.ip() + insn.length);
  cpu.init();
  return InsnOutcome::Stop;
}

InsnOutcome Vmx::vmclear(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = commonChecks(cpu, "VMCLEAR")) return *o;
  VmxCpuState& s = at(cpu.index());
  InsnOutcome fault{};
  auto addr = readOperand64(cpu, insn, fault);
  if (!addr) return fault;
  if (!addressOk(cpu, *addr)) return fail(cpu, kErrVmclearInvalidAddress);
  if (*addr == s.vmxonPointer) return fail(cpu, kErrVmclearVmxonPointer);
  if (auto it = vmcs_.find(*addr); it != vmcs_.end()) it->second.launched = false;
  if (*addr == s.current) s.current = kNoVmcs;
  return succeed(cpu);
}

InsnOutcome Vmx::vmptrld(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = commonChecks(cpu, "VMPTRLD")) return *o;
  VmxCpuState& s = at(cpu.index());
  InsnOutcome fault{};
  auto addr = readOperand64(cpu, insn, fault);
  if (!addr) return fault;
  if (!addressOk(cpu, *addr)) return fail(cpu, kErrVmptrldInvalidAddress);
  if (*addr == s.vmxonPointer) return fail(cpu, kErrVmptrldVmxonPointer);
  uint32_t rev = 0;
  if (!memory_.read(*addr, &rev, 4)) return unsupported(cpu, "VMCS region at " + hex(*addr) + " is not in RAM");
  // Bit 31 marks a shadow VMCS, which this processor does not support
  // (secondary control "VMCS shadowing" is reserved to 0).
  if (rev != config_.caps.revisionId()) return fail(cpu, kErrVmptrldBadRevision);
  s.current = *addr;
  vmcs_[*addr];  // a region seen for the first time: launch state clear, fields 0
  return succeed(cpu);
}

InsnOutcome Vmx::vmptrst(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = commonChecks(cpu, "VMPTRST")) return *o;
  InsnOutcome fault{};
  if (!writeOperand64(cpu, insn, at(cpu.index()).current, fault)) return fault;
  return succeed(cpu);
}

InsnOutcome Vmx::vmread(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = commonChecks(cpu, "VMREAD")) return *o;
  VmxCpuState& s = at(cpu.index());
  if (s.current == kNoVmcs) return failInvalid(cpu);
  RegOrMem dst, enc;
  if (!operands(cpu, insn, dst, enc) || enc.reg == X86_REG_INVALID) return InsnOutcome::RaiseUD;
  const uint64_t encoding = readGpr(cpu, enc.reg);
  if (!vmcsWellFormed(encoding)) return failValid(cpu, kErrUnsupportedComponent);
  const auto e = static_cast<uint32_t>(encoding);
  if (!vmcsFieldName(e)) return unsupported(cpu, "VMREAD of VMCS field " + hex(e) + ", which dlsim does not know");
  const bool wide = cpu.codeBits() == 64;
  const VmcsWidth w = vmcsWidth(e);
  uint64_t v = vmcs_[s.current].get(w == VmcsWidth::k64 ? e & ~1u : e);
  // SDM vol. 3C 24.11.2: the high access type reads bits 63:32; outside
  // 64-bit mode the full one reads bits 31:0 of 64-bit and natural fields.
  if (w == VmcsWidth::k64 && vmcsHighAccess(e)) v >>= 32;
  else if (w == VmcsWidth::k16) v &= 0xffff;
  else if (w == VmcsWidth::k32 || !wide) v &= 0xffffffffull;
  if (dst.reg != X86_REG_INVALID) {
    cpu.setCapstoneReg(dst.reg, v);
  } else {
    auto linear = memoryOperand(cpu, insn);
    if (!linear) return InsnOutcome::RaiseUD;
    InsnOutcome fault{};
    if (!accessLinear(cpu, *linear, &v, wide ? 8 : 4, true, fault)) return fault;
  }
  return succeed(cpu);
}

InsnOutcome Vmx::vmwrite(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = commonChecks(cpu, "VMWRITE")) return *o;
  VmxCpuState& s = at(cpu.index());
  if (s.current == kNoVmcs) return failInvalid(cpu);
  RegOrMem enc, src;
  if (!operands(cpu, insn, enc, src) || enc.reg == X86_REG_INVALID) return InsnOutcome::RaiseUD;
  const bool wide = cpu.codeBits() == 64;
  // The source: 64 bits in 64-bit mode, else 32 (its memory faults come
  // before the field's checks).
  uint64_t value = 0;
  if (src.reg != X86_REG_INVALID) {
    value = readGpr(cpu, src.reg);
  } else {
    auto linear = memoryOperand(cpu, insn);
    if (!linear) return InsnOutcome::RaiseUD;
    InsnOutcome fault{};
    if (!accessLinear(cpu, *linear, &value, wide ? 8 : 4, false, fault)) return fault;
  }
  if (!wide) value &= 0xffffffffull;
  const uint64_t encoding = readGpr(cpu, enc.reg);
  if (!vmcsWellFormed(encoding)) return failValid(cpu, kErrUnsupportedComponent);
  const auto e = static_cast<uint32_t>(encoding);
  if (!vmcsFieldName(e)) return unsupported(cpu, "VMWRITE of VMCS field " + hex(e) + ", which dlsim does not know");
  if (vmcsType(e) == VmcsType::kReadOnly && !config_.caps.vmwriteAnyField())
    return failValid(cpu, kErrVmwriteReadOnly);
  Vmcs& v = vmcs_[s.current];
  switch (vmcsWidth(e)) {
    case VmcsWidth::k16: v.set(e, value & 0xffff); break;
    case VmcsWidth::k32: v.set(e, value & 0xffffffffull); break;
    case VmcsWidth::k64:
      // The high access type writes bits 63:32; the full one outside 64-bit
      // mode writes bits 31:0 and clears 63:32 (SDM vol. 3C 24.11.2).
      if (vmcsHighAccess(e)) v.set(e & ~1u, (v.get(e & ~1u) & 0xffffffffull) | (value & 0xffffffffull) << 32);
      else v.set(e, value);
      break;
    case VmcsWidth::kNatural: v.set(e, value); break;
  }
  return succeed(cpu);
}

InsnOutcome Vmx::vmcall(Cpu& cpu, const DecodedInsn& insn) {
  VmxCpuState& s = at(cpu.index());
  if (!s.on) return InsnOutcome::RaiseUD;
  if (s.nonRoot) {
    // An unconditional VM exit (basic reason 18) with the instruction's length.
    vmexit(cpu, kExitVmcall, 0, 0, insn.length);
    return InsnOutcome::Jumped;
  }
  if ((cpu.reg(Reg::Cs) & 3) != 0) return InsnOutcome::RaiseGP;
  // No dual-monitor treatment of SMIs: VMCALL in VMX root operation fails.
  return fail(cpu, kErrVmcallInRoot);
}

}  // namespace dlsim::txt
