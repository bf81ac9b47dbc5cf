// VM exits (SDM vol. 3C chapter 27): the exit information written, the
// guest state saved, the host state loaded; and the events that cause them
// on the platform: INIT (basic reason 3) in an active or halted guest, SIPI
// (4, qualification = vector) in a guest waiting for SIPI, NMI (0) with NMI
// exiting. INIT is blocked in VMX root operation and in wait-for-SIPI and
// held until VMXOFF or a VM entry to an active or halted guest.
#include <capstone/capstone.h>

#include "cpu_model/arch_state.h"
#include "cpu_model/cpu.h"
#include "cpu_model/ipi.h"
#include "txt_model/vmx/vmcs_fields.h"
#include "txt_model/vmx/vmx.h"
#include "txt_model/vmx/vmx_controls.h"

namespace dlsim::txt {

namespace {

// The access-rights field of a segment (24.4.1): the descriptor's bits
// 15:8 and 23:20 as bits 7:0 and 15:12, bit 16 "unusable" for a segment
// loaded not present with a null selector (what VM entry or a null load left).
uint32_t accessRights(const SegmentState& s) {
  if (!(s.attributes & SegmentState::kPresent) && (s.selector & ~3u) == 0) return 1u << 16;
  return (s.attributes >> 8) & 0xf0ffu;
}

void saveSegment(Vmcs& v, uint32_t index, const SegmentState& s) {
  const uint32_t k = index * vmcs::kSegmentStride;
  v.set(vmcs::kGuestEsSelector + k, s.selector);
  v.set(vmcs::kGuestEsLimit + k, s.limit);
  v.set(vmcs::kGuestEsAccessRights + k, accessRights(s));
  v.set(vmcs::kGuestEsBase + k, s.base);
}

// A host data segment after a VM exit (27.5.2): a null selector leaves it
// unusable; otherwise base 0 (FS, GS: their base fields), limit 4 GiB,
// read/write accessed data, DPL 0, present, 32-bit, page granular.
SegmentState hostData(uint64_t selector, uint64_t base = 0) {
  SegmentState s = SegmentState::flatData32(static_cast<uint16_t>(selector));
  s.base = base;
  if (selector == 0) s.attributes = 0;
  return s;
}

}  // namespace

void Vmx::saveGuestState(Cpu& cpu, Vmcs& v, uint32_t activity) {
  const ArchState a = cpu.archState();
  const auto exitCtl = static_cast<uint32_t>(v.get(vmcs::kExitControls));
  v.set(vmcs::kGuestCr0, a.cr0);
  v.set(vmcs::kGuestCr3, a.cr3);
  v.set(vmcs::kGuestCr4, a.cr4);
  if (exitCtl & vmx_controls::kExitSaveDebug) v.set(vmcs::kGuestDr7, a.dr7);
  if (exitCtl & vmx_controls::kExitSaveEfer) v.set(vmcs::kGuestEfer, a.efer);
  v.set(vmcs::kGuestRsp, a.gprs[ArchState::Rsp]);
  v.set(vmcs::kGuestRip, a.rip);
  v.set(vmcs::kGuestRflags, a.rflags);
  const SegmentState* segs[] = {&a.es, &a.cs, &a.ss, &a.ds, &a.fs, &a.gs, &a.ldtr, &a.tr};
  for (uint32_t i = 0; i < 8; ++i) saveSegment(v, i, *segs[i]);
  v.set(vmcs::kGuestGdtrBase, a.gdtr.base);
  v.set(vmcs::kGuestGdtrLimit, a.gdtr.limit);
  v.set(vmcs::kGuestIdtrBase, a.idtr.base);
  v.set(vmcs::kGuestIdtrLimit, a.idtr.limit);
  v.set(vmcs::kGuestSysenterCs, cpu.engineMsr(0x174) & 0xffffffffull);
  v.set(vmcs::kGuestSysenterEsp, cpu.engineMsr(0x175));
  v.set(vmcs::kGuestSysenterEip, cpu.engineMsr(0x176));
  v.set(vmcs::kGuestActivityState, activity);
  v.set(vmcs::kGuestInterruptibility, 0);
  v.set(vmcs::kGuestPendingDebug, 0);
}

// The state a VM exit loads (27.5) for a 32-bit host (host address-space
// size 0: entry refuses the other).
ArchState Vmx::hostState(Cpu& cpu, const Vmcs& v) {
  ArchState a = cpu.archState();
  const VmxCapabilities& c = config_.caps;
  // CR0: ET, NW, CD, reserved bits 15:6, 17, 28:19 and the bits fixed in
  // VMX operation keep their values; CR4: the fixed bits keep theirs.
  const uint64_t cr0Kept = (1u << 4) | (3u << 29) | 0xffc0u | (1u << 17) | 0x1ff80000u | c.cr0FixedMask();
  a.cr0 = ((a.cr0 & cr0Kept) | (v.get(vmcs::kHostCr0) & ~cr0Kept)) & 0xffffffffull;
  a.cr3 = v.get(vmcs::kHostCr3);
  const uint64_t cr4Kept = c.cr4FixedMask();
  a.cr4 = ((a.cr4 & cr4Kept) | (v.get(vmcs::kHostCr4) & ~cr4Kept)) & 0xffffffffull;
  a.dr7 = 0x400;
  const auto exitCtl = static_cast<uint32_t>(v.get(vmcs::kExitControls));
  a.efer = (exitCtl & vmx_controls::kExitLoadEfer) ? v.get(vmcs::kHostEfer) : (a.efer & ~0x500ull);
  a.cs = SegmentState::flatCode32(static_cast<uint16_t>(v.get(vmcs::kHostCsSelector)));
  a.ss = hostData(v.get(vmcs::kHostSsSelector));
  a.ds = hostData(v.get(vmcs::kHostDsSelector));
  a.es = hostData(v.get(vmcs::kHostEsSelector));
  a.fs = hostData(v.get(vmcs::kHostFsSelector), v.get(vmcs::kHostFsBase));
  a.gs = hostData(v.get(vmcs::kHostGsSelector), v.get(vmcs::kHostGsBase));
  // TR: busy 32-bit TSS, limit 0x67, byte granular; LDTR unusable.
  a.tr.selector = static_cast<uint16_t>(v.get(vmcs::kHostTrSelector));
  a.tr.base = v.get(vmcs::kHostTrBase);
  a.tr.limit = 0x67;
  a.tr.attributes = (0xbu << 8) | SegmentState::kPresent;
  a.ldtr = SegmentState{};
  a.gdtr = {v.get(vmcs::kHostGdtrBase), 0xffff};
  a.idtr = {v.get(vmcs::kHostIdtrBase), 0xffff};
  a.gprs[ArchState::Rsp] = v.get(vmcs::kHostRsp);
  a.rip = v.get(vmcs::kHostRip);
  a.rflags = 2;
  return a;
}

void Vmx::loadHostMsrs(Cpu& cpu, const Vmcs& v) {
  cpu.setEngineMsr(0x174, v.get(vmcs::kHostSysenterCs) & 0xffffffffull);
  cpu.setEngineMsr(0x175, v.get(vmcs::kHostSysenterEsp));
  cpu.setEngineMsr(0x176, v.get(vmcs::kHostSysenterEip));
}

void Vmx::vmexit(Cpu& cpu, uint32_t reason, uint64_t qualification, uint32_t interruptionInfo,
                 std::optional<uint32_t> instructionLength, bool entryFailure) {
  VmxCpuState& s = at(cpu.index());
  Vmcs& v = vmcs_[s.current];
  if (!entryFailure) saveGuestState(cpu, v, guestActivity(cpu));
  // Exit information (27.2): reason, qualification, interruption information
  // (valid only for an NMI here), no event was being delivered.
  v.set(vmcs::kExitReason, reason);
  v.set(vmcs::kExitQualification, qualification);
  v.set(vmcs::kExitInterruptionInfo, interruptionInfo);
  v.set(vmcs::kIdtVectoringInfo, 0);
  if (instructionLength) v.set(vmcs::kExitInstructionLength, *instructionLength);
  const ArchState host = hostState(cpu, v);
  loadHostMsrs(cpu, v);
  s.nonRoot = false;
  ++s.exits;
  s.lastExitReason = reason;
  cpu.wakeAt(host);
}

std::optional<InsnOutcome> Vmx::guard(Cpu& cpu, const DecodedInsn& insn) {
  auto it = cpus_.find(cpu.index());
  if (it == cpus_.end() || !it->second.nonRoot) return std::nullopt;
  const auto proc = static_cast<uint32_t>(vmcs_[it->second.current].get(vmcs::kProcControls));
  switch (insn.id) {
    case X86_INS_GETSEC: return unsupported(cpu, "GETSEC in VMX non-root operation (VM exit 55)");
    // Without MSR bitmaps (a control dlsim does not model) every RDMSR and
    // WRMSR exits.
    case X86_INS_RDMSR: return unsupported(cpu, "RDMSR in VMX non-root operation (VM exit 31)");
    case X86_INS_WRMSR: return unsupported(cpu, "WRMSR in VMX non-root operation (VM exit 32)");
    case X86_INS_MWAIT:
      if (proc & vmx_controls::kProcMwaitExiting)
        return unsupported(cpu, "MWAIT in VMX non-root operation with MWAIT exiting (VM exit 36)");
      return std::nullopt;
    case X86_INS_RDTSCP: return InsnOutcome::RaiseUD;
    default: return std::nullopt;
  }
}

bool Vmx::onIpi(Cpu& target, IpiKind kind, uint8_t vector, const std::function<void(const std::string&)>& stop) {
  auto it = cpus_.find(target.index());
  if (it == cpus_.end() || !it->second.on) return true;
  VmxCpuState& s = it->second;
  const bool waitForSipi = s.nonRoot && guestActivity(target) == kActivityWaitForSipi;
  switch (kind) {
    case IpiKind::Init:
      // Blocked in VMX root operation and in wait-for-SIPI (SDM vol. 3C
      // "VMXON" operation, "Activity State" after VM entry, "INIT signals"):
      // held. Otherwise the guest exits.
      if (!s.nonRoot || waitForSipi) {
        s.initHeld = true;
        return false;
      }
      vmexit(target, kExitInit, 0);
      return false;
    case IpiKind::Sipi:
      if (waitForSipi) {
        vmexit(target, kExitSipi, vector);
        return false;
      }
      // An active or halted guest discards SIPIs; in VMX root operation the
      // CPU is not waiting for one (the machine ignores it).
      return !s.nonRoot;
    case IpiKind::Nmi:
      if (!s.nonRoot) return true;
      if (waitForSipi) {
        stop("vmx: unsupported: NMI to CPU " + std::to_string(target.index()) +
             " while its guest waits for SIPI (blocked and held: not modelled; docs/vmx.md)");
        return false;
      }
      if (vmcs_[s.current].get(vmcs::kPinControls) & vmx_controls::kPinNmiExiting) {
        // Interruption information: vector 2, type NMI (2), valid.
        vmexit(target, kExitNmi, 0, 0x80000202u);
        return false;
      }
      return true;  // delivered through the guest's IDT
    case IpiKind::Fixed:
      return true;  // no external-interrupt exiting (entry refuses it): the guest takes it
  }
  return true;
}

}  // namespace dlsim::txt
