#include "cpu_model/platform_instructions.h"

#include <capstone/capstone.h>

#include <memory>

#include "cpu_model/cpu.h"
#include "cpu_model/segments.h"
#include "sim/hex.h"

namespace dlsim {

namespace {

uint64_t edxEax(Cpu& c) { return ((c.reg(Reg::Rdx) & 0xffffffffull) << 32) | (c.reg(Reg::Rax) & 0xffffffffull); }
void setEdxEax(Cpu& c, uint64_t v) {
  c.setReg(Reg::Rax, v & 0xffffffffull);
  c.setReg(Reg::Rdx, v >> 32);
}

// Address-size-wide value of a general register for the current code size.
uint64_t addrReg(Cpu& c, Reg r) {
  int bits = c.codeBits();
  uint64_t v = c.reg(r);
  return bits == 64 ? v : bits == 32 ? (v & 0xffffffffull) : (v & 0xffff);
}

InsnOutcome rdtsc(Cpu& c, const DecodedInsn&) {
  setEdxEax(c, c.platform().time);
  return InsnOutcome::Done;
}

InsnOutcome rdtscp(Cpu& c, const DecodedInsn&) {
  if (!c.platform().cpuid->has("rdtscp")) return InsnOutcome::RaiseUD;
  auto aux = c.readMsr(0xc0000103);
  setEdxEax(c, c.platform().time);
  c.setReg(Reg::Rcx, aux.value_or(0) & 0xffffffffull);
  return InsnOutcome::Done;
}

InsnOutcome rdmsr(Cpu& c, const DecodedInsn&) {
  auto v = c.readMsr(static_cast<uint32_t>(c.reg(Reg::Rcx)));
  if (!v) return InsnOutcome::RaiseGP;
  setEdxEax(c, *v);
  return InsnOutcome::Done;
}

InsnOutcome wrmsr(Cpu& c, const DecodedInsn&) {
  return c.writeMsr(static_cast<uint32_t>(c.reg(Reg::Rcx)), edxEax(c)) ? InsnOutcome::Done : InsnOutcome::RaiseGP;
}

InsnOutcome hlt(Cpu& c, const DecodedInsn&) {
  c.setState(CpuState::Halted);
  return InsnOutcome::Yield;
}

InsnOutcome pause(Cpu&, const DecodedInsn&) { return InsnOutcome::Yield; }

InsnOutcome monitor(Cpu& c, const DecodedInsn&) {
  if (!c.platform().cpuid->has("monitor")) return InsnOutcome::RaiseUD;
  if ((c.reg(Reg::Rcx) & 0xffffffffull) != 0) return InsnOutcome::RaiseGP;  // no extensions defined
  uint64_t linear = segmentBase(c, Reg::Ds) + addrReg(c, Reg::Rax);
  auto phys = c.translate(linear, Access::Read);
  if (!phys) {
    c.platform().event("CPU " + std::to_string(c.index()) + ": MONITOR of unmapped linear address " + hex(linear));
    return InsnOutcome::RaiseGP;
  }
  c.armMonitor(*phys);
  return InsnOutcome::Done;
}

InsnOutcome mwait(Cpu& c, const DecodedInsn&) {
  if (!c.platform().cpuid->has("monitor")) return InsnOutcome::RaiseUD;
  if ((c.reg(Reg::Rcx) & 0xffffffffull) > 1) return InsnOutcome::RaiseGP;
  if (!c.monitorArmed() || c.monitorTriggered()) {
    c.disarmMonitor();
    return InsnOutcome::Done;  // nothing to wait for: falls through like a NOP
  }
  c.setState(CpuState::Mwait);
  return InsnOutcome::Yield;
}

InsnOutcome random(Cpu& c, const DecodedInsn& in, const char* feature) {
  if (!c.platform().cpuid->has(feature) || !in.regOperand) return InsnOutcome::RaiseUD;
  uint64_t v = c.nextRandom();
  if (in.regOperandSize < 8) v &= (1ull << (in.regOperandSize * 8)) - 1;
  c.setCapstoneReg(in.regOperand, v);
  // CF=1 (a value is ready); OF, SF, ZF, AF, PF cleared.
  uint64_t f = c.reg(Reg::Rflags) & ~0x8d5ull;
  c.setReg(Reg::Rflags, f | 1);
  return InsnOutcome::Done;
}

}  // namespace

void registerPlatformInstructions(SpecialInstructionRegistry& r) {
  r.add(X86_INS_RDTSC, "platform", rdtsc);
  r.add(X86_INS_RDTSCP, "platform", rdtscp);
  r.add(X86_INS_RDMSR, "platform", rdmsr);
  r.add(X86_INS_WRMSR, "platform", wrmsr);
  r.add(X86_INS_HLT, "platform", hlt);
  r.add(X86_INS_PAUSE, "platform", pause);
  r.add(X86_INS_MONITOR, "platform", monitor);
  r.add(X86_INS_MWAIT, "platform", mwait);
  r.add(X86_INS_RDRAND, "platform", [](Cpu& c, const DecodedInsn& i) { return random(c, i, "rdrand"); });
  r.add(X86_INS_RDSEED, "platform", [](Cpu& c, const DecodedInsn& i) { return random(c, i, "rdseed"); });
}

void registerPlatformMsrs(MsrRegistry& msrs, const std::vector<Cpu*>& cpus) {
  // IA32_TSC reads virtual time; a write sets this CPU's offset to it.
  auto offsets = std::make_shared<std::vector<int64_t>>(cpus.size(), 0);
  msrs.add(
      0x10, "platform",
      [cpus, offsets](int cpu, uint32_t) -> std::optional<uint64_t> {
        return cpus[cpu]->platform().time + static_cast<uint64_t>((*offsets)[cpu]);
      },
      [cpus, offsets](int cpu, uint32_t, uint64_t v) {
        (*offsets)[cpu] = static_cast<int64_t>(v - cpus[cpu]->platform().time);
        return true;
      });
  auto aux = std::make_shared<std::vector<uint64_t>>(cpus.size(), 0);
  msrs.add(
      0xc0000103, "platform", [aux](int cpu, uint32_t) -> std::optional<uint64_t> { return (*aux)[cpu]; },
      [aux](int cpu, uint32_t, uint64_t v) {
        if (v >> 32) return false;
        (*aux)[cpu] = v;
        return true;
      });
  // IA32_BIOS_SIGN_ID: microcode revision reads 0; writes (the "trigger") are accepted.
  msrs.add(
      0x8b, "platform", [](int, uint32_t) -> std::optional<uint64_t> { return 0; },
      [](int, uint32_t, uint64_t) { return true; });
  // IA32_MISC_ENABLE: fast strings (bit 0) and MONITOR/MWAIT enabled (bit 18).
  auto misc = std::make_shared<std::vector<uint64_t>>(cpus.size(), (1ull << 0) | (1ull << 18));
  msrs.add(
      0x1a0, "platform", [misc](int cpu, uint32_t) -> std::optional<uint64_t> { return (*misc)[cpu]; },
      [misc](int cpu, uint32_t, uint64_t v) {
        (*misc)[cpu] = v;
        return true;
      });
}

}  // namespace dlsim
