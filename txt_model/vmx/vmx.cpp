// VMX: dispatch, the SDM's VMsucceed/VMfail pseudo-functions, the checks
// the instructions share, their memory operands, and the report.
#include "txt_model/vmx/vmx.h"

#include <capstone/capstone.h>

#include "cpu_model/capstone_regs.h"
#include "cpu_model/code_decoder.h"
#include "cpu_model/cpu.h"
#include "cpu_model/cpuid_profile.h"
#include "cpu_model/memory_operands.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/observation.h"
#include "txt_model/vmx/vmcs_fields.h"

namespace dlsim::txt {

namespace {
constexpr uint64_t kCf = 1u << 0, kPf = 1u << 2, kAf = 1u << 4, kZf = 1u << 6, kSf = 1u << 7, kOf = 1u << 11;
constexpr uint64_t kArithmeticFlags = kCf | kPf | kAf | kZf | kSf | kOf;
constexpr uint64_t kEflagsVm = 1u << 17;

void setArithmeticFlags(Cpu& cpu, uint64_t set) {
  cpu.setReg(Reg::Rflags, (cpu.reg(Reg::Rflags) & ~kArithmeticFlags) | set);
}

// The physical-address width (CPUID 80000008H EAX[7:0]; 36 without the leaf).
unsigned physicalAddressBits(Cpu& cpu) {
  const CpuidProfile* p = cpu.platform().cpuid;
  if (!p) return 36;
  const uint32_t bits = p->query(0x80000008, 0, cpu.apicId(), cpu.platform().cpuCount).eax & 0xff;
  return bits ? bits : 36;
}
}  // namespace

Vmx::Vmx(GuestMemory& memory, VmxConfig config) : memory_(memory), config_(std::move(config)) {}

VmxCpuState& Vmx::at(int cpu) { return cpus_[cpu]; }

const Vmcs* Vmx::region(uint64_t address) const {
  auto it = vmcs_.find(address);
  return it == vmcs_.end() ? nullptr : &it->second;
}

InsnOutcome Vmx::execute(Cpu& cpu, const DecodedInsn& insn) {
  switch (insn.id) {
    case X86_INS_VMXON: return vmxon(cpu, insn);
    case X86_INS_VMXOFF: return vmxoff(cpu, insn);
    case X86_INS_VMCLEAR: return vmclear(cpu, insn);
    case X86_INS_VMPTRLD: return vmptrld(cpu, insn);
    case X86_INS_VMPTRST: return vmptrst(cpu, insn);
    case X86_INS_VMREAD: return vmread(cpu, insn);
    case X86_INS_VMWRITE: return vmwrite(cpu, insn);
    case X86_INS_VMLAUNCH: return vmentry(cpu, true);
    case X86_INS_VMRESUME: return vmentry(cpu, false);
    case X86_INS_VMCALL: return vmcall(cpu, insn);
    default: return InsnOutcome::RaiseUD;
  }
}

// SDM vol. 3C 31.2: VMsucceed clears CF, PF, AF, ZF, SF and OF;
// VMfailInvalid sets CF; VMfailValid sets ZF and writes the error number
// into the current VMCS's VM-instruction error field.
InsnOutcome Vmx::succeed(Cpu& cpu) {
  setArithmeticFlags(cpu, 0);
  return InsnOutcome::Done;
}

InsnOutcome Vmx::failInvalid(Cpu& cpu) {
  setArithmeticFlags(cpu, kCf);
  return InsnOutcome::Done;
}

InsnOutcome Vmx::failValid(Cpu& cpu, uint32_t error) {
  setArithmeticFlags(cpu, kZf);
  vmcs_[at(cpu.index()).current].set(vmcs::kInstructionError, error);
  return InsnOutcome::Done;
}

InsnOutcome Vmx::fail(Cpu& cpu, uint32_t error) {
  return at(cpu.index()).current != kNoVmcs ? failValid(cpu, error) : failInvalid(cpu);
}

InsnOutcome Vmx::unsupported(Cpu& cpu, const std::string& what) {
  cpu.stopMachine(stop_reason::kGuestError, "vmx: unsupported: " + what + " (CPU " + std::to_string(cpu.index()) +
                                                 "; docs/vmx.md)");
  return InsnOutcome::Stop;
}

std::optional<InsnOutcome> Vmx::commonChecks(Cpu& cpu, const char* name) {
  const VmxCpuState& s = at(cpu.index());
  const bool compatibilityMode = cpu.inLongMode() && cpu.codeBits() != 64;
  if (!s.on || !(cpu.reg(Reg::Cr0) & 1) || (cpu.reg(Reg::Rflags) & kEflagsVm) || compatibilityMode)
    return InsnOutcome::RaiseUD;
  if (s.nonRoot) return unsupported(cpu, std::string(name) + " in VMX non-root operation (its VM exit)");
  if ((cpu.reg(Reg::Cs) & 3) != 0) return InsnOutcome::RaiseGP;
  return std::nullopt;
}

bool Vmx::addressOk(Cpu& cpu, uint64_t address) const {
  return (address & 0xfff) == 0 && (address >> physicalAddressBits(cpu)) == 0;
}

// The instruction's memory operand: its linear address, and the operand
// size of VMREAD/VMWRITE (64 bits in 64-bit mode, else 32).
std::optional<uint64_t> Vmx::memoryOperand(Cpu& cpu, const DecodedInsn& insn) {
  auto ops = decodeMemoryOperands(cpu, insn.address, insn.length);
  if (!ops || ops->empty()) return std::nullopt;
  OperandEvaluator eval(cpu);
  return eval.linear(ops->front());
}

bool Vmx::accessLinear(Cpu& cpu, uint64_t linear, void* bytes, size_t size, bool write, InsnOutcome& fault) {
  // Page by page, so a fault names the page it is on.
  auto* p = static_cast<uint8_t*>(bytes);
  while (size) {
    const size_t chunk = std::min<size_t>(size, 4096 - (linear & 4095));
    uint32_t error = 0;
    auto phys = cpu.translate(linear, write ? Access::Write : Access::Read, &error);
    if (!phys) {
      cpu.setReg(Reg::Cr2, linear);
      cpu.raiseException(14, error);
      fault = InsnOutcome::Stop;
      return false;
    }
    const bool ok = write ? memory_.write(*phys, p, chunk) : memory_.read(*phys, p, chunk);
    if (!ok) {
      fault = unsupported(cpu, std::string(write ? "write to" : "read from") + " physical " + hex(*phys) +
                                   ", not RAM, by a VMX instruction's operand");
      return false;
    }
    linear += chunk;
    p += chunk;
    size -= chunk;
  }
  return true;
}

std::optional<uint64_t> Vmx::readOperand64(Cpu& cpu, const DecodedInsn& insn, InsnOutcome& fault) {
  auto linear = memoryOperand(cpu, insn);
  if (!linear) {
    fault = InsnOutcome::RaiseUD;  // a register operand is another instruction's encoding
    return std::nullopt;
  }
  uint64_t v = 0;
  if (!accessLinear(cpu, *linear, &v, 8, false, fault)) return std::nullopt;
  return v;
}

bool Vmx::writeOperand64(Cpu& cpu, const DecodedInsn& insn, uint64_t value, InsnOutcome& fault) {
  auto linear = memoryOperand(cpu, insn);
  if (!linear) {
    fault = InsnOutcome::RaiseUD;
    return false;
  }
  return accessLinear(cpu, *linear, &value, 8, true, fault);
}

std::string vmxGuestActivityName(uint32_t activity) {
  switch (activity) {
    case kActivityActive: return "active";
    case kActivityHlt: return "hlt";
    case kActivityShutdown: return "shutdown";
    case kActivityWaitForSipi: return "wait-for-sipi";
  }
  return "activity " + std::to_string(activity);
}

uint32_t Vmx::guestActivity(Cpu& cpu) {
  if (cpu.state() == CpuState::ModelSleep && cpu.modelSleepName() == kVmxWaitForSipiSleep) return kActivityWaitForSipi;
  if (cpu.state() == CpuState::Halted) return kActivityHlt;
  return kActivityActive;
}

std::vector<VmxCpuReport> Vmx::report(const std::function<Cpu*(int)>& cpuAt) const {
  std::vector<VmxCpuReport> out;
  for (const auto& [index, s] : cpus_) {
    if (!s.entered) continue;
    VmxCpuReport r;
    r.cpu = index;
    r.vmxonPointer = s.vmxonPointer;
    r.vmcs = s.current;
    r.exits = s.exits;
    r.lastExitReason = s.lastExitReason;
    r.initHeld = s.initHeld;
    if (!s.on) {
      r.state = "off";
    } else if (!s.nonRoot) {
      r.state = "vmx-root";
    } else {
      Cpu* c = cpuAt(index);
      r.state = "vmx-guest " + (c ? vmxGuestActivityName(guestActivity(*c)) : std::string("?"));
    }
    out.push_back(r);
  }
  return out;
}

void Vmx::reset() {
  // A platform reset takes every CPU out of VMX operation; the VMCS data
  // stay with their regions, as RAM keeps them.
  cpus_.clear();
}

}  // namespace dlsim::txt
