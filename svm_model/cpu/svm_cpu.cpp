// The SVM CPU side (see svm_cpu.h): the MSR rules, CLGI/STGI and the GIF.
#include "svm_model/cpu/svm_cpu.h"

#include <capstone/capstone.h>

#include <memory>

#include "cpu_model/cpu.h"
#include "cpu_model/ipi.h"
#include "cpu_model/launch_rule_stop.h"
#include "cpu_model/msr_registry.h"
#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "sim/observation.h"
#include "sim/snapshot/snapshot_registry.h"
#include "svm_model/cpu/svm_rules.h"

namespace dlsim::svm {

namespace {
constexpr uint64_t kCr0Pe = 1, kEflagsVm = 1ull << 17;
constexpr uint32_t kSxInitRedirected = 1;  // #SX error code (APM 15.28)
}  // namespace

SvmCpu::SvmCpu(ModelHost& host, const SvmCpuConfig& config)
    : host_(host), config_(config), cpus_(host.cpuCount()) {
  cpus_.reset(config_.powerOnVmCr);
}

bool SvmCpu::svme(int cpu) { return host_.cpu(cpu).efer() & kEferSvme; }

void SvmCpu::setGif(Cpu& cpu, bool set) {
  SvmCpuState& s = cpus_.at(cpu.index());
  const bool was = s.gif;
  s.gif = set;
  cpu.setGif(set);
  if (!set || was) return;
  // Deliver what waited for the GIF, INIT before NMI (SDM vol. 3A 6.9 priorities).
  const bool init = s.initHeld, nmi = s.nmiHeld;
  s.initHeld = s.nmiHeld = false;
  if (init) host_.deliverIpi(cpu.index(), IpiKind::Init, 0);
  else if (nmi) host_.deliverIpi(cpu.index(), IpiKind::Nmi, 2);
}

// ---- MSRs ----------------------------------------------------------------------

std::optional<uint64_t> SvmCpu::readEfer(int cpu) { return host_.cpu(cpu).engineMsr(kMsrEfer); }

bool SvmCpu::writeEfer(int cpu, uint64_t value) {
  Cpu& c = host_.cpu(cpu);
  if (value & ~softwareEferBits(&host_.cpuidProfile())) return false;  // reserved bits
  // APM 15.4: with VM_CR.SVMDIS set, EFER.SVME cannot be set.
  if ((value & kEferSvme) && (cpus_.at(cpu).vmCr & kVmCrSvmDis)) return false;
  c.setEngineMsr(kMsrEfer, value);
  return true;
}

std::optional<uint64_t> SvmCpu::readVmCr(int cpu) const { return cpus_.at(cpu).vmCr; }

// As KVM's svm_set_vm_cr models it (spec §2): reserved bits #GP; while
// SVMDIS is set, LOCK and SVMDIS keep their values; setting SVMDIS while
// EFER.SVME is set #GP (here without changing VM_CR).
bool SvmCpu::writeVmCr(int cpu, uint64_t value) {
  if (value & ~kVmCrValid) return false;
  SvmCpuState& s = cpus_.at(cpu);
  uint64_t change = kVmCrValid;
  if (s.vmCr & kVmCrSvmDis) change &= ~(kVmCrLock | kVmCrSvmDis);
  const uint64_t next = (s.vmCr & ~change) | (value & change);
  if ((next & kVmCrSvmDis) && svme(cpu)) return false;
  s.vmCr = next;
  return true;
}

bool SvmCpu::setVmCrByPlatform(int cpu, uint64_t value) {
  if (value & ~kVmCrValid) return false;
  cpus_.at(cpu).vmCr = value;
  return true;
}

std::optional<uint64_t> SvmCpu::readHsavePa(int cpu) const { return cpus_.at(cpu).hsavePa; }

bool SvmCpu::writeHsavePa(int cpu, uint64_t value) {
  if (value & ~kHsavePaValid) return false;  // not 4 KiB aligned, or beyond the physical address width
  cpus_.at(cpu).hsavePa = value;
  return true;
}

// ---- instructions -----------------------------------------------------------

std::optional<InsnOutcome> SvmCpu::checkPrivileged(Cpu& cpu, bool usable) {
  if (!(cpu.reg(Reg::Cr0) & kCr0Pe) || (cpu.reg(Reg::Rflags) & kEflagsVm)) return InsnOutcome::RaiseUD;
  if (!usable) return InsnOutcome::RaiseUD;
  if (cpu.reg(Reg::Cs) & 3) return InsnOutcome::RaiseGP;
  return std::nullopt;
}

InsnOutcome SvmCpu::clgi(Cpu& cpu) {
  if (auto o = checkPrivileged(cpu, svme(cpu.index()))) return *o;
  setGif(cpu, false);
  return InsnOutcome::Done;
}

InsnOutcome SvmCpu::stgi(Cpu& cpu) {
  // APM vol. 2 15.4: SKINIT and STGI are usable when EFER.SVME = 1 or CPUID
  // Fn8000_0001 ECX[SKINIT] = 1, else #UD. The CPUID the guest sees decides
  // (a scenario may clear the bit the profile sets).
  if (auto o = checkPrivileged(cpu, svme(cpu.index()) || host_.cpuidProfile().has("skinit"))) return *o;
  SvmCpuState& s = cpus_.at(cpu.index());
  if ((s.vmCr & kVmCrRInit) &&
      breakRule(cpu, host_.launchRules(), svm_rules::kStgiWhileRInit, "VM_CR = " + hex(s.vmCr)))
    return InsnOutcome::Stop;
  const bool was = s.gif;
  setGif(cpu, true);
  // Held events and interrupts are taken at the next instruction boundary:
  // end the quantum so the run loop delivers them after STGI.
  return was ? InsnOutcome::Done : InsnOutcome::Yield;
}

InsnOutcome SvmCpu::unmodelled(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = checkPrivileged(cpu, svme(cpu.index()))) return *o;
  const std::string name = insn.id == X86_INS_VMRUN    ? "VMRUN"
                           : insn.id == X86_INS_VMLOAD ? "VMLOAD"
                           : insn.id == X86_INS_VMSAVE ? "VMSAVE"
                                                       : "INVLPGA";
  cpu.stopMachine(stop_reason::kGuestError, "CPU " + std::to_string(cpu.index()) + ": " + name + " at " +
                                                hex(insn.address) + ": SVM guests are not modelled by dlsim");
  return InsnOutcome::Stop;
}

bool SvmCpu::filterIpi(int target, IpiKind kind) {
  if (target < 0 || target >= cpus_.count()) return true;
  SvmCpuState& s = cpus_.at(target);
  if (kind == IpiKind::Init || kind == IpiKind::Nmi) {
    if (!s.gif) {
      (kind == IpiKind::Init ? s.initHeld : s.nmiHeld) = true;
      return false;
    }
  }
  if (kind == IpiKind::Init && (s.vmCr & kVmCrRInit)) {
    // APM 15.28: INIT redirected to #SX, error code 1, taken at the next
    // instruction boundary (a halted CPU wakes for it).
    Cpu& c = host_.cpu(target);
    if (c.state() == CpuState::Halted || c.state() == CpuState::Mwait) c.wake();
    if (c.state() == CpuState::Running) c.raiseException(kSxVector, kSxInitRedirected);
    return false;
  }
  return true;
}

void SvmCpu::resetState(ResetKind) { cpus_.reset(config_.powerOnVmCr); }

// ---- installation ----------------------------------------------------------

SvmCpu& installSvmCpu(ModelHost& host, const SvmProfile& profile, const SvmCpuConfig& config,
                      const std::string& profileField, const std::string& vmCrField) {
  applySvmCpuid(host.cpuidProfile(), profile, profileField);
  auto part = std::make_shared<SvmCpu>(host, config);
  host.keepAlive(part);
  SvmCpu* s = part.get();
  host.msrs().add(MsrRange{kMsrEfer, kMsrEfer, "svm", [s](int cpu, uint32_t) { return s->readEfer(cpu); },
                           [s](int cpu, uint32_t, uint64_t v) { return s->writeEfer(cpu, v); }});
  host.msrs().add(MsrRange{kMsrVmCr, kMsrVmCr, "svm", [s](int cpu, uint32_t) { return s->readVmCr(cpu); },
                           [s](int cpu, uint32_t, uint64_t v) { return s->writeVmCr(cpu, v); },
                           [s](int cpu, uint32_t, uint64_t v) { return s->setVmCrByPlatform(cpu, v); }, vmCrField});
  host.msrs().add(MsrRange{kMsrVmHsavePa, kMsrVmHsavePa, "svm", [s](int cpu, uint32_t) { return s->readHsavePa(cpu); },
                           [s](int cpu, uint32_t, uint64_t v) { return s->writeHsavePa(cpu, v); }});
  host.specialInstructions().add(X86_INS_CLGI, "svm", [s](Cpu& cpu, const DecodedInsn&) { return s->clgi(cpu); });
  host.specialInstructions().add(X86_INS_STGI, "svm", [s](Cpu& cpu, const DecodedInsn&) { return s->stgi(cpu); });
  for (unsigned id : {X86_INS_VMRUN, X86_INS_VMLOAD, X86_INS_VMSAVE, X86_INS_INVLPGA})
    host.specialInstructions().add(id, "svm", [s](Cpu& cpu, const DecodedInsn& insn) { return s->unmodelled(cpu, insn); });
  host.addIpiFilter([s](int target, IpiKind kind, uint8_t) { return s->filterIpi(target, kind); });
  host.onReset([s](ResetKind kind) { s->resetState(kind); });
  host.snapshotParts().add(
      "svm cpus", [s] { return s->saveState(); }, [s](std::span<const uint8_t> b) { s->restoreState(b); });
  return *s;
}

}  // namespace dlsim::svm
