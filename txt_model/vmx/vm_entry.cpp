// VMLAUNCH and VMRESUME (SDM vol. 3C chapter 26): the instruction's checks,
// the checks on the VMX controls and the host-state area (a failure is
// VMfailValid 7 or 8), the guest-state checks (a failure is a VM-entry
// failure: exit reason 33 with bit 31 set, the host state loaded), then the
// guest state loaded and the guest's activity state entered. The checks are
// those a 32-bit VMM's VMCS like tboot's exercises; a control or state
// dlsim does not model stops the run as "vmx: unsupported".
#include "cpu_model/arch_state.h"
#include "cpu_model/cpu.h"
#include "sim/hex.h"
#include "txt_model/vmx/vmcs_fields.h"
#include "txt_model/vmx/vmx.h"
#include "txt_model/vmx/vmx_controls.h"

namespace dlsim::txt {

namespace {

constexpr uint64_t kCr4Pcide = 1u << 17;

// One segment's four guest fields.
struct GuestSegment {
  uint16_t selector;
  uint32_t limit, ar;
  uint64_t base;
};

GuestSegment guestSegment(const Vmcs& v, uint32_t index) {  // 0-5: ES..GS, 6 LDTR, 7 TR
  const uint32_t k = index * vmcs::kSegmentStride;
  return {static_cast<uint16_t>(v.get(vmcs::kGuestEsSelector + k)), static_cast<uint32_t>(v.get(vmcs::kGuestEsLimit + k)),
          static_cast<uint32_t>(v.get(vmcs::kGuestEsAccessRights + k)), v.get(vmcs::kGuestEsBase + k)};
}

// Access rights (SDM vol. 3C 24.4.1): type 3:0, S 4, DPL 6:5, P 7, AVL 12,
// L 13, D/B 14, G 15, unusable 16; 11:8 and 31:17 reserved.
bool unusable(uint32_t ar) { return ar >> 16 & 1; }
uint32_t arType(uint32_t ar) { return ar & 0xf; }
bool arS(uint32_t ar) { return ar >> 4 & 1; }
uint32_t arDpl(uint32_t ar) { return ar >> 5 & 3; }
bool arP(uint32_t ar) { return ar >> 7 & 1; }
bool arG(uint32_t ar) { return ar >> 15 & 1; }
bool arReservedClear(uint32_t ar) { return (ar & 0xf00) == 0 && (ar >> 17) == 0; }
// Limit and G agree: G clear when any of limit bits 11:0 is 0, set when
// any of bits 31:20 is 1.
bool limitFitsG(uint32_t limit, uint32_t ar) {
  if ((limit & 0xfff) != 0xfff && arG(ar)) return false;
  if ((limit >> 20) != 0 && !arG(ar)) return false;
  return true;
}

SegmentState toSegment(const GuestSegment& g) {
  SegmentState s;
  s.selector = g.selector;
  s.base = g.base;
  s.limit = g.limit;
  // An unusable segment is loaded not present.
  s.attributes = unusable(g.ar) ? 0 : (g.ar & 0xf0ff) << 8;
  return s;
}

}  // namespace

std::string Vmx::checkControls(const Vmcs& v, std::string& unsupported) const {
  const VmxCapabilities& c = config_.caps;
  const auto pin = static_cast<uint32_t>(v.get(vmcs::kPinControls));
  const auto proc = static_cast<uint32_t>(v.get(vmcs::kProcControls));
  const auto exit = static_cast<uint32_t>(v.get(vmcs::kExitControls));
  const auto entry = static_cast<uint32_t>(v.get(vmcs::kEntryControls));
  if (!VmxCapabilities::controlsFit(pin, c.pinControls())) return "pin-based controls " + hex(pin);
  if (!VmxCapabilities::controlsFit(proc, c.procControls())) return "processor-based controls " + hex(proc);
  if (proc & vmx_controls::kProcSecondary) {
    const auto proc2 = static_cast<uint32_t>(v.get(vmcs::kProcControls2));
    if (!VmxCapabilities::controlsFit(proc2, c.value(vmx_msr::kProcbased2)))
      return "secondary processor-based controls " + hex(proc2);
  }
  if (!VmxCapabilities::controlsFit(exit, c.exitControls())) return "VM-exit controls " + hex(exit);
  if (!VmxCapabilities::controlsFit(entry, c.entryControls())) return "VM-entry controls " + hex(entry);
  if (v.get(vmcs::kCr3TargetCount) > c.cr3TargetCount()) return "CR3-target count " + hex(v.get(vmcs::kCr3TargetCount));
  // Outside SMM, "entry to SMM" and "deactivate dual-monitor treatment" are 0.
  if (entry & (vmx_controls::kEntryToSmm | vmx_controls::kEntryDeactivateDualMonitor))
    return "VM-entry controls " + hex(entry) + " (SMM bits outside SMM)";
  // The preemption timer's value is saved only when it is active.
  if ((exit & vmx_controls::kExitSavePreemptionTimer) && !(pin & vmx_controls::kPinPreemptionTimer))
    return "VM-exit controls " + hex(exit) + " (save preemption timer without the timer)";

  if (const uint32_t extra = pin & ~vmx_controls::kPinModelled) unsupported = "pin-based controls " + hex(extra);
  else if (const uint32_t extra2 = proc & ~vmx_controls::kProcModelled)
    unsupported = "processor-based controls " + hex(extra2);
  else if (const uint32_t extra3 = exit & ~vmx_controls::kExitModelled) unsupported = "VM-exit controls " + hex(extra3);
  else if (const uint32_t extra4 = entry & ~vmx_controls::kEntryModelled)
    unsupported = "VM-entry controls " + hex(extra4);
  else if (v.get(vmcs::kExitMsrStoreCount) || v.get(vmcs::kExitMsrLoadCount) || v.get(vmcs::kEntryMsrLoadCount))
    unsupported = "VM-exit/VM-entry MSR areas";
  else if (v.get(vmcs::kEntryInterruptionInfo) >> 31)
    unsupported = "event injection (VM-entry interruption information " + hex(v.get(vmcs::kEntryInterruptionInfo)) + ")";
  return "";
}

std::string Vmx::checkHostState(const Vmcs& v, std::string& unsupported) const {
  const VmxCapabilities& c = config_.caps;
  const uint64_t cr0 = v.get(vmcs::kHostCr0), cr4 = v.get(vmcs::kHostCr4);
  if (!c.cr0Fits(cr0)) return "host CR0 " + hex(cr0);
  if (!c.cr4Fits(cr4)) return "host CR4 " + hex(cr4);
  // Host address-space size 0 (a 32-bit host): CR4.PCIDE and RIP 63:32 clear.
  if (cr4 & kCr4Pcide) return "host CR4.PCIDE with a 32-bit host";
  if (v.get(vmcs::kHostRip) >> 32) return "host RIP " + hex(v.get(vmcs::kHostRip));
  // Selectors: RPL and TI clear; CS, TR (and SS, with a 32-bit host) not null.
  for (uint32_t f = vmcs::kHostEsSelector; f <= vmcs::kHostTrSelector; f += 2)
    if (v.get(f) & 7) return std::string(vmcsFieldName(f)) + " " + hex(v.get(f)) + " (RPL/TI not 0)";
  if (v.get(vmcs::kHostCsSelector) == 0) return "host CS selector 0";
  if (v.get(vmcs::kHostTrSelector) == 0) return "host TR selector 0";
  if (v.get(vmcs::kHostSsSelector) == 0) return "host SS selector 0";
  if (static_cast<uint32_t>(v.get(vmcs::kExitControls)) & vmx_controls::kExitLoadEfer) {
    const uint64_t efer = v.get(vmcs::kHostEfer);
    // Reserved bits clear; LMA and LME equal the host address-space size (0).
    if (efer & ~0xd01ull || efer & 0x500) return "host IA32_EFER " + hex(efer);
  }
  (void)unsupported;
  return "";
}

std::string Vmx::checkGuestState(const Vmcs& v, std::string& unsupported) const {
  const VmxCapabilities& c = config_.caps;
  const auto entry = static_cast<uint32_t>(v.get(vmcs::kEntryControls));
  const uint64_t cr0 = v.get(vmcs::kGuestCr0), cr4 = v.get(vmcs::kGuestCr4);
  if (!c.cr0Fits(cr0)) return "guest CR0 " + hex(cr0);
  if (!c.cr4Fits(cr4)) return "guest CR4 " + hex(cr4);
  if (cr4 & kCr4Pcide) return "guest CR4.PCIDE outside IA-32e mode";
  if ((entry & vmx_controls::kEntryLoadDebug) && (v.get(vmcs::kGuestDr7) >> 32)) return "guest DR7 " + hex(v.get(vmcs::kGuestDr7));
  if (entry & vmx_controls::kEntryLoadEfer) {
    const uint64_t efer = v.get(vmcs::kGuestEfer);
    if (efer & ~0xd01ull || efer & 0x400 || ((cr0 >> 31) && (efer & 0x100))) return "guest IA32_EFER " + hex(efer);
  }
  // RFLAGS: bits 63:22, 15, 5 and 3 clear, bit 1 set.
  const uint64_t rflags = v.get(vmcs::kGuestRflags);
  if ((rflags >> 22) || (rflags & 0x8028) || !(rflags & 2)) return "guest RFLAGS " + hex(rflags);
  if (rflags & (1u << 17)) {
    unsupported = "a virtual-8086 guest";
    return "";
  }

  // Segments (not virtual-8086, not unrestricted, not IA-32e).
  const GuestSegment es = guestSegment(v, 0), cs = guestSegment(v, 1), ss = guestSegment(v, 2);
  const GuestSegment ldtr = guestSegment(v, 6), tr = guestSegment(v, 7);
  if (tr.selector & 4) return "guest TR selector " + hex(tr.selector) + " (TI set)";
  if (!unusable(ldtr.ar) && (ldtr.selector & 4)) return "guest LDTR selector " + hex(ldtr.selector) + " (TI set)";
  if ((ss.selector & 3) != (cs.selector & 3)) return "guest SS.RPL differs from CS.RPL";
  for (int i = 0; i < 4; ++i)
    if (guestSegment(v, i).base >> 32) return "guest segment base bits 63:32";
  // CS: accessed code (type 9, 11, 13 or 15), S, P, DPL against SS.
  const uint32_t csType = arType(cs.ar);
  if (unusable(cs.ar) || (csType != 9 && csType != 11 && csType != 13 && csType != 15) || !arS(cs.ar) || !arP(cs.ar) ||
      !arReservedClear(cs.ar) || !limitFitsG(cs.limit, cs.ar))
    return "guest CS access rights " + hex(cs.ar) + ", limit " + hex(cs.limit);
  if ((csType == 9 || csType == 11) && arDpl(cs.ar) != arDpl(ss.ar)) return "guest CS.DPL differs from SS.DPL";
  if ((csType == 13 || csType == 15) && arDpl(cs.ar) > arDpl(ss.ar)) return "guest CS.DPL above SS.DPL";
  // SS: read/write data (type 3 or 7), DPL = RPL.
  if (!unusable(ss.ar)) {
    const uint32_t t = arType(ss.ar);
    if ((t != 3 && t != 7) || !arS(ss.ar) || !arP(ss.ar) || !arReservedClear(ss.ar) || !limitFitsG(ss.limit, ss.ar) ||
        arDpl(ss.ar) != (ss.selector & 3u))
      return "guest SS access rights " + hex(ss.ar) + ", limit " + hex(ss.limit);
  }
  // DS, ES, FS, GS: accessed; readable if code; S, P; DPL >= RPL unless conforming code.
  for (int i : {0, 3, 4, 5}) {
    const GuestSegment g = i == 0 ? es : guestSegment(v, static_cast<uint32_t>(i));
    if (unusable(g.ar)) continue;
    const uint32_t t = arType(g.ar);
    const bool bad = !(t & 1) || ((t & 8) && !(t & 2)) || !arS(g.ar) || !arP(g.ar) || !arReservedClear(g.ar) ||
                     !limitFitsG(g.limit, g.ar) || (t <= 11 && arDpl(g.ar) < (g.selector & 3u));
    if (bad) return std::string(vmcsFieldName(vmcs::kGuestEsAccessRights + static_cast<uint32_t>(i) * 2)) + " " + hex(g.ar);
  }
  // TR: a busy 16- or 32-bit TSS, usable.
  if (unusable(tr.ar) || (arType(tr.ar) != 3 && arType(tr.ar) != 11) || arS(tr.ar) || !arP(tr.ar) ||
      !arReservedClear(tr.ar) || !limitFitsG(tr.limit, tr.ar))
    return "guest TR access rights " + hex(tr.ar) + ", limit " + hex(tr.limit);
  // LDTR, if usable: an LDT.
  if (!unusable(ldtr.ar) && (arType(ldtr.ar) != 2 || arS(ldtr.ar) || !arP(ldtr.ar) || !arReservedClear(ldtr.ar) ||
                             !limitFitsG(ldtr.limit, ldtr.ar)))
    return "guest LDTR access rights " + hex(ldtr.ar) + ", limit " + hex(ldtr.limit);
  // GDTR/IDTR limits: bits 31:16 clear.
  if (v.get(vmcs::kGuestGdtrLimit) >> 16) return "guest GDTR limit " + hex(v.get(vmcs::kGuestGdtrLimit));
  if (v.get(vmcs::kGuestIdtrLimit) >> 16) return "guest IDTR limit " + hex(v.get(vmcs::kGuestIdtrLimit));
  // RIP: bits 63:32 clear outside IA-32e mode.
  if (v.get(vmcs::kGuestRip) >> 32) return "guest RIP " + hex(v.get(vmcs::kGuestRip));

  // Non-register state: the activity state (IA32_VMX_MISC says which exist),
  // interruptibility, pending debug exceptions, the VMCS link pointer.
  const uint64_t activity = v.get(vmcs::kGuestActivityState);
  const uint64_t intr = v.get(vmcs::kGuestInterruptibility);
  if (activity > 3 || !c.activityStateSupported(static_cast<uint32_t>(activity)))
    return "guest activity state " + std::to_string(activity);
  if (activity == kActivityHlt && arDpl(ss.ar) != 0) return "guest activity HLT with SS.DPL " + std::to_string(arDpl(ss.ar));
  if (activity != kActivityActive && (intr & 3)) return "guest activity state not active with STI/MOV-SS blocking";
  if (intr >> 5) return "guest interruptibility state " + hex(intr);
  if ((intr & 3) == 3) return "guest interruptibility: blocking by STI and by MOV SS";
  if ((intr & 1) && !(rflags & (1u << 9))) return "guest interruptibility: blocking by STI with RFLAGS.IF clear";
  if (activity == kActivityShutdown) unsupported = "VM entry to the shutdown activity state";
  else if (v.get(vmcs::kGuestPendingDebug)) unsupported = "pending debug exceptions " + hex(v.get(vmcs::kGuestPendingDebug));
  else if (v.get(vmcs::kVmcsLinkPointer) != ~0ull)
    unsupported = "VMCS link pointer " + hex(v.get(vmcs::kVmcsLinkPointer)) + " (shadow VMCS)";
  return "";
}

InsnOutcome Vmx::vmentry(Cpu& cpu, bool launch) {
  const char* name = launch ? "VMLAUNCH" : "VMRESUME";
  if (auto o = commonChecks(cpu, name)) return *o;
  VmxCpuState& s = at(cpu.index());
  if (s.current == kNoVmcs) return failInvalid(cpu);
  Vmcs& v = vmcs_[s.current];
  if (launch && v.launched) return failValid(cpu, kErrVmlaunchNotClear);
  if (!launch && !v.launched) return failValid(cpu, kErrVmresumeNotLaunched);
  std::string unsup;
  std::string why = checkControls(v, unsup);
  if (!why.empty()) {
    cpu.platform().event("CPU " + std::to_string(cpu.index()) + ": " + name + ": invalid " + why);
    return failValid(cpu, kErrEntryInvalidControls);
  }
  if (!unsup.empty()) return unsupported(cpu, std::string(name) + " with " + unsup);
  why = checkHostState(v, unsup);
  if (!why.empty()) {
    cpu.platform().event("CPU " + std::to_string(cpu.index()) + ": " + name + ": invalid " + why);
    return failValid(cpu, kErrEntryInvalidHostState);
  }
  if (!unsup.empty()) return unsupported(cpu, std::string(name) + " with " + unsup);
  why = checkGuestState(v, unsup);
  if (!why.empty()) {
    // A VM-entry failure while checking guest state: exit reason 33 with
    // bit 31, qualification 0, the host state loaded, no guest state saved.
    cpu.platform().event("CPU " + std::to_string(cpu.index()) + ": " + name + ": invalid " + why);
    vmexit(cpu, kExitFailedEntry | kExitInvalidGuestState, 0, 0, std::nullopt, true);
    return InsnOutcome::Jumped;
  }
  if (!unsup.empty()) return unsupported(cpu, std::string(name) + " with " + unsup);

  // Load the guest state (SDM vol. 3C 26.3.2). CR0's ET and reserved bits
  // 15:6, 17 and 28:19 keep their values.
  ArchState a = cpu.archState();
  constexpr uint64_t kCr0Kept = (1u << 4) | 0xffc0u | (1u << 17) | 0x1ff80000u;
  a.cr0 = (a.cr0 & kCr0Kept) | (v.get(vmcs::kGuestCr0) & ~kCr0Kept & 0xffffffffull);
  a.cr3 = v.get(vmcs::kGuestCr3);
  a.cr4 = v.get(vmcs::kGuestCr4);
  const auto entry = static_cast<uint32_t>(v.get(vmcs::kEntryControls));
  if (entry & vmx_controls::kEntryLoadDebug) a.dr7 = v.get(vmcs::kGuestDr7);
  // Not an IA-32e guest: LMA clear, and LME too when paging is on.
  a.efer = (entry & vmx_controls::kEntryLoadEfer) ? v.get(vmcs::kGuestEfer) : (a.efer & ~0x500ull);
  a.gprs[ArchState::Rsp] = v.get(vmcs::kGuestRsp);
  a.rip = v.get(vmcs::kGuestRip);
  a.rflags = v.get(vmcs::kGuestRflags);
  SegmentState* segs[] = {&a.es, &a.cs, &a.ss, &a.ds, &a.fs, &a.gs, &a.ldtr, &a.tr};
  for (uint32_t i = 0; i < 8; ++i) *segs[i] = toSegment(guestSegment(v, i));
  a.gdtr = {v.get(vmcs::kGuestGdtrBase), static_cast<uint16_t>(v.get(vmcs::kGuestGdtrLimit))};
  a.idtr = {v.get(vmcs::kGuestIdtrBase), static_cast<uint16_t>(v.get(vmcs::kGuestIdtrLimit))};
  cpu.setEngineMsr(0x174, v.get(vmcs::kGuestSysenterCs) & 0xffffffffull);
  cpu.setEngineMsr(0x175, v.get(vmcs::kGuestSysenterEsp));
  cpu.setEngineMsr(0x176, v.get(vmcs::kGuestSysenterEip));
  if (launch) v.launched = true;
  s.nonRoot = true;
  const auto activity = static_cast<uint32_t>(v.get(vmcs::kGuestActivityState));
  cpu.wakeAt(a);
  // An INIT held in VMX root operation is no longer blocked in an active or
  // halted guest: its VM exit follows the entry at once.
  if (s.initHeld && activity != kActivityWaitForSipi) {
    s.initHeld = false;
    if (activity == kActivityHlt) cpu.setState(CpuState::Halted);
    vmexit(cpu, kExitInit, 0);
    return InsnOutcome::Jumped;
  }
  if (activity == kActivityWaitForSipi) {
    cpu.enterModelSleep(kVmxWaitForSipiSleep);
    return InsnOutcome::Stop;
  }
  if (activity == kActivityHlt) {
    cpu.setState(CpuState::Halted);
    return InsnOutcome::Stop;
  }
  return InsnOutcome::Jumped;
}

}  // namespace dlsim::txt
