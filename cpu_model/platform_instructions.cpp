#include "cpu_model/platform_instructions.h"

#include <capstone/capstone.h>

#include <memory>
#include <span>

#include "cpu_model/bit_instructions.h"
#include "cpu_model/cpu.h"
#include "cpu_model/insn_operands.h"
#include "cpu_model/segments.h"
#include "sim/codec/state_codec.h"
#include "sim/hex.h"
#include "sim/snapshot/snapshot_registry.h"

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

// The time-stamp counter: IA32_TSC, i.e. virtual time plus the offset a
// WRMSR to it set (registerPlatformMsrs).
uint64_t tsc(Cpu& c) { return c.readMsr(0x10).value_or(c.platform().time); }

InsnOutcome rdtsc(Cpu& c, const DecodedInsn&) {
  setEdxEax(c, tsc(c));
  return InsnOutcome::Done;
}

InsnOutcome rdtscp(Cpu& c, const DecodedInsn&) {
  if (!c.platform().cpuid->has("rdtscp")) return InsnOutcome::RaiseUD;
  auto aux = c.readMsr(0xc0000103);
  setEdxEax(c, tsc(c));
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
  const DecodedInsn::Operand& dest = in.operands[0];
  if (!c.platform().cpuid->has(feature) || in.operandCount != 1 || dest.kind != DecodedInsn::Operand::Kind::Reg)
    return InsnOutcome::RaiseUD;
  uint64_t v = c.nextRandom();
  if (dest.size < 8) v &= (1ull << (dest.size * 8)) - 1;
  writeRegisterOperand(c, in, 0, v);
  // CF=1 (a value is ready); OF, SF, ZF, AF, PF cleared.
  uint64_t f = c.reg(Reg::Rflags) & ~0x8d5ull;
  c.setReg(Reg::Rflags, f | 1);
  return InsnOutcome::Done;
}

// MOVBE (0F 38 F0 /r: load and swap; 0F 38 F1 /r: swap and store). Unicorn
// 2.1.1 decodes it on its SSE path and raises #NM while CR0.TS is set; the
// AMD APM (vol. 3) and the Intel SDM list no #NM for MOVBE, only #UD when
// CPUID Fn0000_0001 ECX[22] is clear. TrenchBoot's SKL (built for btver2)
// runs its C code with CR0.TS set. dlsim executes it itself.
InsnOutcome movbe(Cpu& c, const DecodedInsn& in) {
  using Kind = DecodedInsn::Operand::Kind;
  if (!c.platform().cpuid->has("movbe") || in.operandCount != 2) return InsnOutcome::RaiseUD;
  const bool store = in.operands[0].kind == Kind::Mem;
  const DecodedInsn::Operand& reg = in.operands[store ? 1 : 0];
  // MOVBE has no register-register form.
  if (reg.kind != Kind::Reg || in.operands[store ? 0 : 1].kind != Kind::Mem) return InsnOutcome::RaiseUD;
  const int size = reg.size;
  if (size != 2 && size != 4 && size != 8) return InsnOutcome::RaiseUD;
  auto linear = memoryOperandLinear(c, in);
  if (!linear) return InsnOutcome::RaiseGP;
  uint8_t b[8] = {};
  if (store) {
    const auto v = readOperand(c, in, 1);
    if (!v) return InsnOutcome::RaiseUD;
    for (int k = 0; k < size; ++k) b[k] = uint8_t(*v >> (8 * (size - 1 - k)));
    if (!c.writeLinear(*linear, b, size_t(size))) return InsnOutcome::RaiseGP;
    return InsnOutcome::Done;
  }
  if (!c.readLinear(*linear, b, size_t(size))) return InsnOutcome::RaiseGP;
  uint64_t v = 0;
  for (int k = 0; k < size; ++k) v = v << 8 | b[k];
  writeRegisterOperand(c, in, 0, v);  // a 16-bit destination keeps the rest, a 32-bit one zero-extends
  return InsnOutcome::Done;
}

}  // namespace

void registerPlatformInstructions(SpecialInstructionRegistry& r) {
  r.add(X86_INS_RDTSC, "platform", rdtsc);
  r.add(X86_INS_RDTSCP, "platform", rdtscp);
  r.add(X86_INS_RDMSR, "platform", rdmsr);
  r.add(X86_INS_WRMSR, "platform", wrmsr);
  r.add(X86_INS_HLT, "platform", hlt);
  r.add(X86_INS_MOVBE, "platform", movbe);
  r.add(X86_INS_PAUSE, "platform", pause);
  r.add(X86_INS_MONITOR, "platform", monitor);
  r.add(X86_INS_MWAIT, "platform", mwait);
  r.add(X86_INS_RDRAND, "platform", [](Cpu& c, const DecodedInsn& i) { return random(c, i, "rdrand"); });
  r.add(X86_INS_RDSEED, "platform", [](Cpu& c, const DecodedInsn& i) { return random(c, i, "rdseed"); });
  registerBitInstructions(r);
}

namespace {

// The MSR values the platform keeps per CPU, saved in machine snapshots.
struct PlatformMsrState {
  std::shared_ptr<std::vector<int64_t>> tscOffset;
  std::shared_ptr<std::vector<uint64_t>> tscAux, miscEnable;
};

constexpr uint32_t kPlatformMsrTag = 0x534d5350;  // "PSMS"
constexpr uint8_t kPlatformMsrVersion = 1;

std::vector<uint8_t> saveMsrs(const PlatformMsrState& s) {
  StateWriter w;
  w.u32(kPlatformMsrTag);
  w.u8(kPlatformMsrVersion);
  w.u64(s.tscOffset->size());
  for (size_t i = 0; i < s.tscOffset->size(); ++i) {
    w.u64(static_cast<uint64_t>((*s.tscOffset)[i]));
    w.u64((*s.tscAux)[i]);
    w.u64((*s.miscEnable)[i]);
  }
  return w.take();
}

void restoreMsrs(const PlatformMsrState& s, std::span<const uint8_t> bytes) {
  StateReader r(bytes, "platform MSRs");
  r.expectHeader(kPlatformMsrTag, kPlatformMsrVersion);
  if (r.u64("cpus") != s.tscOffset->size()) r.fail("cpus", "the snapshot is of another CPU count");
  for (size_t i = 0; i < s.tscOffset->size(); ++i) {
    (*s.tscOffset)[i] = static_cast<int64_t>(r.u64("tsc_offset"));
    (*s.tscAux)[i] = r.u64("tsc_aux");
    (*s.miscEnable)[i] = r.u64("misc_enable");
  }
  r.expectEnd();
}

}  // namespace

void registerPlatformMsrs(MsrRegistry& msrs, const std::vector<Cpu*>& cpus, SnapshotRegistry& snapshots) {
  // IA32_TSC reads virtual time plus this CPU's offset; a write sets the offset.
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
  const PlatformMsrState state{offsets, aux, misc};
  snapshots.add(
      "platform MSRs", [state] { return saveMsrs(state); },
      [state](std::span<const uint8_t> b) { restoreMsrs(state, b); });
}

}  // namespace dlsim
