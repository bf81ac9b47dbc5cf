// Exception and interrupt delivery through the guest's IVT (real mode) or IDT
// (protected and long mode), as Intel SDM vol. 3 6.12 / AMD APM vol. 2 8.7-8.9
// describe it. Unicorn reports exceptions but never delivers them; dlsim does
// it here, including the double-fault rules and shutdown on a triple fault.
// Covered: interrupt and trap gates at the same privilege and with a
// privilege change (new SS:ESP from the TSS in protected mode, RSP0-2 or IST
// and a null SS in long mode), conforming handlers, the gate-DPL check of
// INT n / INT3 / INTO, and task gates (task_switch.cpp). CS and SS are loaded
// with their hidden parts through segment_cache.cpp (Unicorn's register API
// cannot raise the CPL). Refused as guest errors: 16-bit interrupt/trap
// gates, delivery from virtual-8086 mode, 16-bit TSSs for task gates.
#include <unicorn/unicorn.h>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "cpu_model/exception_names.h"
#include "cpu_model/descriptor_access.h"
#include "cpu_model/segment_cache.h"
#include "cpu_model/segments.h"
#include "cpu_model/task_switch.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint64_t kIf = 1 << 9, kTf = 1 << 8, kNt = 1 << 14, kRf = 1 << 16, kVm = 1 << 17, kAc = 1 << 18;

bool contributory(uint32_t v) { return v == 0 || (v >= 10 && v <= 13); }

bool canonical(uint64_t a) {
  const uint64_t top = a >> 47;
  return top == 0 || top == 0x1ffff;
}

// Offsets [top, top + bytes) fit in a stack segment (expand-up or expand-down).
bool stackFits(const SegmentDescriptor& ss, uint32_t top, uint32_t bytes) {
  const uint64_t lo = top, hi = static_cast<uint64_t>(top) + bytes - 1;
  const uint64_t max = ss.big ? 0xffffffffull : 0xffffull;
  if (ss.type & 4) return lo > ss.limit && hi <= max;
  return hi <= ss.limit;
}

std::string describe(uint32_t vector, std::optional<uint32_t> err, uint64_t at) {
  std::string s = exceptionName(vector);
  if (err) s += "(" + hex(*err) + ")";
  return s + " at " + hex(at);
}

}  // namespace

void Cpu::deliverPending() {
  PendingException cur = *pending_;
  pending_.reset();
  exceptionChain_.clear();
  for (int depth = 0; depth < 8; ++depth) {
    exceptionChain_.push_back(describe(cur.vector, cur.errorCode, codeLinear(ip())));
    std::string why;
    uint32_t fv = 0;
    std::optional<uint32_t> fe;
    if (deliver(cur, &why, &fv, &fe)) {
      if (state_ == CpuState::Halted) state_ = CpuState::Running;
      return;
    }
    if (fv == 0xffffffffu) {  // not an exception: something dlsim does not model
      RunExit e;
      e.kind = RunExit::MachineStop;
      uint64_t at = codeLinear(ip());
      e.stop = StopInfo{stop_reason::kGuestError, index_, at,
                        "CPU " + std::to_string(index_) + ": cannot deliver " + exceptionName(cur.vector) + ": " + why};
      requestStop(e);
      return;
    }
    exceptionChain_.back() += " (delivery failed: " + why + ")";
    if (cur.software) {
      // The fault belongs to the INT n / INT3 / INTO itself: its saved EIP
      // is the instruction's, not the one after it (CD ib: 2 bytes, CC/CE: 1).
      uint8_t op = 0;
      const uint64_t at = ip();
      const bool twoBytes = at >= 2 && readLinear(codeLinear(at - 2), &op, 1) && op == 0xcd;
      setIp(at - (twoBytes ? 2 : 1));
    }
    if (cur.vector == 8) {
      tripleFault(why);
      return;
    }
    const bool curPf = cur.vector == 14, newPf = fv == 14;
    if ((contributory(cur.vector) && contributory(fv)) || (curPf && (contributory(fv) || newPf)))
      cur = PendingException{8, 0u, false, false};
    else
      cur = PendingException{fv, fe, false, false};
  }
  tripleFault("exception nesting too deep");
}

void Cpu::tripleFault(const std::string& why) {
  state_ = CpuState::Shutdown;
  std::string chain;
  for (const auto& c : exceptionChain_) chain += (chain.empty() ? "" : " -> ") + c;
  RunExit e;
  e.kind = RunExit::MachineStop;
  uint64_t at = codeLinear(ip());
  // A shutdown while AMD's GIF is clear (after SKINIT or CLGI): only RESET
  // leaves it (APM vol. 2 15.27.6), so the report says so.
  const std::string gif = gif_ ? "" : " (shutdown with GIF=0)";
  e.stop = StopInfo{stop_reason::kTripleFault, index_, at,
                    "triple fault on CPU " + std::to_string(index_) + gif + ": " + chain + " (" + why + ")"};
  requestStop(e);
}

void Cpu::deliverInterrupts() {
  // An exception a model queued (a released NMI, #SX) goes first; the
  // interrupt stays pending in the APIC.
  if (!platform_.interrupts || !gif_ || pending_) return;
  if (!(reg(Reg::Rflags) & kIf)) return;
  int v = platform_.interrupts->pendingVector(index_);
  if (v < 0) return;
  platform_.interrupts->acceptInterrupt(index_, v);
  if (state_ == CpuState::Halted || state_ == CpuState::Mwait) wake();
  pending_ = PendingException{static_cast<uint32_t>(v), std::nullopt, false, true};
}

// Delivers one event. On failure fills the exception to raise instead
// (*failVector = 0xffffffff: a limitation of dlsim, not a guest fault).
bool Cpu::deliver(const PendingException& e, std::string* why, uint32_t* failVector,
                  std::optional<uint32_t>* failError) {
  auto fail = [&](uint32_t v, std::optional<uint32_t> err, std::string text) {
    *failVector = v;
    *failError = err;
    *why = std::move(text);
    return false;
  };
  auto unsupported = [&](std::string text) { return fail(0xffffffffu, std::nullopt, std::move(text)); };
  const uint64_t cr0 = reg(Reg::Cr0);
  const uint64_t flags = reg(Reg::Rflags);
  const uint64_t retIp = ip();
  // EXT: the event is not the program's own INT n / INT3 / INTO (an external
  // interrupt, or an exception whose delivery failed).
  const uint32_t ext = (e.external || !e.software) ? 1 : 0;
  uc_x86_mmr idtr{};
  uc_reg_read(active_->uc(), UC_X86_REG_IDTR, &idtr);

  if (!(cr0 & 1)) {  // real mode: IVT
    if (e.vector * 4 + 3 > idtr.limit) return fail(13, e.vector * 8 + 2 + ext, "vector beyond the IVT limit");
    uint32_t vec = 0;
    if (!platform_.memory->read(idtr.base + e.vector * 4, &vec, 4)) return fail(13, 0u, "IVT not in RAM");
    uint64_t ss = reg(Reg::Ss), sp = reg(Reg::Rsp) & 0xffff;
    uint16_t frame[3] = {static_cast<uint16_t>(retIp), static_cast<uint16_t>(reg(Reg::Cs)),
                         static_cast<uint16_t>(flags)};
    for (int i = 2; i >= 0; --i) {
      sp = (sp - 2) & 0xffff;
      if (!platform_.memory->write((ss << 4) + sp, &frame[i], 2)) return fail(12, 0u, "stack not in RAM");
    }
    setReg(Reg::Rsp, (reg(Reg::Rsp) & ~0xffffull) | sp);
    setReg(Reg::Rflags, flags & ~(kIf | kTf | kAc));
    setReg(Reg::Cs, vec >> 16);
    setReg(Reg::Rip, vec & 0xffff);
    return true;
  }
  if (flags & kVm) return unsupported("delivery from virtual-8086 mode is not supported by dlsim");

  const bool longMode = inLongMode();
  const uint32_t gateSize = longMode ? 16 : 8;
  const uint32_t idtError = e.vector * 8 + 2 + ext;
  if (e.vector * gateSize + gateSize - 1 > idtr.limit)
    return fail(13, idtError, "vector " + std::to_string(e.vector) + " is beyond the IDT limit " + hex(idtr.limit));
  uint64_t gate[2] = {0, 0};
  if (!readLinear(idtr.base + e.vector * gateSize, gate, gateSize)) return fail(14, 0u, "IDT not readable");
  const uint32_t lo = static_cast<uint32_t>(gate[0]), hi = static_cast<uint32_t>(gate[0] >> 32);
  const uint32_t type = (hi >> 8) & 0x1f;
  const uint32_t gateDpl = (hi >> 13) & 3;
  const uint32_t cpl = static_cast<uint32_t>(readRawCpuState(active_->uc(), active_->scratch()).cpl());
  const bool legacyOnly = type == 0x05 || type == 0x06 || type == 0x07;
  if ((type != 0x0e && type != 0x0f && !legacyOnly) || (longMode && legacyOnly))
    return fail(13, idtError, "IDT entry " + std::to_string(e.vector) + " (type " + hex(type) + ") is not a valid gate");
  if (e.software && gateDpl < cpl)
    return fail(13, e.vector * 8 + 2, "INT " + hex(e.vector) + " at CPL " + std::to_string(cpl) + " through a gate of DPL " +
                                          std::to_string(gateDpl));
  if (!(hi & (1u << 15))) return fail(11, idtError, "IDT entry " + std::to_string(e.vector) + " not present");
  if (type == 0x05) {
    auto f = switchTaskThroughGate(*this, static_cast<uint16_t>(lo >> 16), static_cast<uint32_t>(retIp), e.errorCode, ext);
    if (!f) return true;
    if (f->unsupported) return unsupported(f->why);
    return fail(f->vector, f->error, f->why);
  }
  if (type != 0x0e && type != 0x0f)
    return unsupported("16-bit interrupt/trap gates (IDT entry " + std::to_string(e.vector) + ") are not supported by dlsim");

  const uint16_t sel = static_cast<uint16_t>(lo >> 16);
  uint64_t target = (lo & 0xffff) | (hi & 0xffff0000u);
  if (longMode) target |= (gate[1] & 0xffffffffull) << 32;
  if ((sel & 0xfffc) == 0) return fail(13, ext, "gate selector is null");
  auto cs = readRawDescriptor(*this, sel);
  if (!cs || !cs->d.code()) return fail(13, selectorError(sel, ext), "gate selector " + hex(sel) + " is not a code segment");
  if (cs->d.dpl > cpl)
    return fail(13, selectorError(sel, ext), "handler segment " + hex(sel) + " DPL " + std::to_string(cs->d.dpl) +
                                                 " is less privileged than CPL " + std::to_string(cpl));
  if (!cs->d.present) return fail(11, selectorError(sel, ext), "code segment " + hex(sel) + " not present");
  if (longMode && (!cs->d.longMode || cs->d.big))
    return fail(13, selectorError(sel, ext), "gate target is not a 64-bit code segment");
  const bool conforming = cs->d.type & 4;
  const uint32_t newCpl = conforming ? cpl : cs->d.dpl;
  const bool privilegeChange = newCpl < cpl;
  const HiddenSegment newCs = hiddenFrom(SegSlot::Cs, static_cast<uint16_t>((sel & 0xfffc) | newCpl), *cs);
  const uint64_t newFlags = flags & ~(kTf | kNt | kRf | kVm) & (type == 0x0e ? ~kIf : ~0ull);
  uc_x86_mmr tr{};
  uc_reg_read(active_->uc(), UC_X86_REG_TR, &tr);

  if (longMode) {
    if (!canonical(target)) return fail(13, ext, "handler address " + hex(target) + " is not canonical");
    uint64_t rsp = reg(Reg::Rsp);
    const uint32_t ist = hi & 7;
    if (ist || privilegeChange) {
      const uint32_t at = ist ? (ist << 3) + 28 : (newCpl << 3) + 4;
      if (at + 7 > tr.limit)
        return fail(10, selectorError(tr.selector, ext), "TSS limit " + hex(tr.limit) + " does not hold " +
                                                             (ist ? "IST" + std::to_string(ist) : "RSP" + std::to_string(newCpl)));
      if (!readLinear(tr.base + at, &rsp, 8)) return fail(14, 0u, "TSS at " + hex(tr.base) + " not readable");
      if (!canonical(rsp)) return fail(12, ext, "stack pointer " + hex(rsp) + " from the TSS is not canonical");
    }
    rsp &= ~0xfull;
    uint64_t frame[6];
    int n = 0;
    if (e.errorCode) frame[n++] = *e.errorCode;
    frame[n++] = retIp;
    frame[n++] = reg(Reg::Cs);
    frame[n++] = flags;
    frame[n++] = reg(Reg::Rsp);
    frame[n++] = reg(Reg::Ss);
    rsp -= 8 * n;
    if (!writeLinear(rsp, frame, 8 * n)) return fail(14, 2u, "stack " + hex(rsp) + " not writable");
    setReg(Reg::Rsp, rsp);
    setReg(Reg::Rflags, newFlags);
    setReg(Reg::Rip, target);
    if (privilegeChange) {
      // SS becomes a null selector whose RPL is the new CPL (QEMU keeps the CPL in SS's DPL).
      const HiddenSegment nullSs{SegSlot::Ss, static_cast<uint16_t>(newCpl), 0, 0, newCpl << 13};
      loadHiddenSegments(active_->uc(), active_->scratch(), {nullSs, newCs});
    } else if (newCs.selector != reg(Reg::Cs)) {
      loadHiddenSegments(active_->uc(), active_->scratch(), {newCs});
    }
    return true;
  }

  if (target > cs->d.limit) return fail(13, ext, "handler offset " + hex(target) + " is beyond the CS limit");
  uint32_t frame[6];
  int n = 0;
  if (e.errorCode) frame[n++] = *e.errorCode;
  frame[n++] = static_cast<uint32_t>(retIp);
  frame[n++] = static_cast<uint32_t>(reg(Reg::Cs));
  frame[n++] = static_cast<uint32_t>(flags);
  const uint32_t oldEsp = static_cast<uint32_t>(reg(Reg::Rsp));
  if (privilegeChange) {
    // New SS:ESP from the TSS (32-bit or 16-bit TSS).
    const uint32_t trType = (tr.flags >> 8) & 0x1f;
    const bool tss32 = trType == 0x09 || trType == 0x0b;
    if ((tr.selector & 0xfffc) == 0 || (!tss32 && trType != 0x01 && trType != 0x03))
      return fail(10, selectorError(tr.selector, ext), "task register " + hex(tr.selector) + " holds no TSS");
    const uint32_t at = tss32 ? (newCpl << 3) + 4 : (newCpl << 2) + 2;
    if (at + (tss32 ? 5 : 3) > tr.limit)
      return fail(10, selectorError(tr.selector, ext), "TSS limit " + hex(tr.limit) + " does not hold SS" +
                                                           std::to_string(newCpl) + ":ESP" + std::to_string(newCpl));
    uint32_t newEsp = 0;
    uint16_t newSsSel = 0;
    if (!readLinear(tr.base + at, &newEsp, tss32 ? 4 : 2) || !readLinear(tr.base + at + (tss32 ? 4 : 2), &newSsSel, 2))
      return fail(14, 0u, "TSS at " + hex(tr.base) + " not readable");
    const std::string ssName = "SS" + std::to_string(newCpl) + " " + hex(newSsSel);
    if ((newSsSel & 0xfffc) == 0) return fail(10, ext, ssName + " from the TSS is null");
    auto ss = readRawDescriptor(*this, newSsSel);
    if (!ss || (newSsSel & 3) != newCpl)
      return fail(10, selectorError(newSsSel, ext), ssName + " is beyond its table or has RPL != " + std::to_string(newCpl));
    if (ss->d.system || ss->d.code() || !(ss->d.type & 2) || ss->d.dpl != newCpl)
      return fail(10, selectorError(newSsSel, ext), ssName + " is not a writable data segment of DPL " + std::to_string(newCpl));
    if (!ss->d.present) return fail(12, selectorError(newSsSel, ext), ssName + " not present");
    frame[n++] = oldEsp;
    frame[n++] = static_cast<uint32_t>(reg(Reg::Ss));
    const uint32_t size = 4 * n;
    const uint32_t top = ss->d.big ? newEsp - size : ((newEsp - size) & 0xffff);
    if (!stackFits(ss->d, top, size)) return fail(12, selectorError(newSsSel, ext), "no room for the frame on " + ssName);
    if (!writeLinear(ss->d.base + top, frame, size))
      return fail(14, 2u, "stack " + hex(ss->d.base + top) + " not writable");
    setReg(Reg::Rsp, ss->d.big ? top : ((newEsp & 0xffff0000u) | top));
    setReg(Reg::Rflags, newFlags);
    setReg(Reg::Rip, target);
    loadHiddenSegments(active_->uc(), active_->scratch(), {hiddenFrom(SegSlot::Ss, newSsSel, *ss), newCs});
    return true;
  }

  // The stack as SS's hidden part has it (its descriptor may have changed since the load).
  std::optional<SegmentDescriptor> ss;
  if (SegmentDescriptor h = hiddenDescriptor(*this, SegSlot::Ss); h.present) ss = h;
  const uint64_t ssBase = ss ? ss->base : 0;
  const uint32_t size = 4 * n;
  const uint32_t top = (!ss || ss->big) ? oldEsp - size : ((oldEsp - size) & 0xffff);
  if (ss && !stackFits(*ss, top, size)) return fail(12, ext, "no room for the frame on the stack");
  if (!writeLinear(ssBase + top, frame, size)) return fail(14, 2u, "stack " + hex(ssBase + top) + " not writable");
  setReg(Reg::Rsp, (!ss || ss->big) ? top : ((oldEsp & 0xffff0000u) | top));
  setReg(Reg::Rflags, newFlags);
  setReg(Reg::Rip, target);
  if (newCs.selector != reg(Reg::Cs)) loadHiddenSegments(active_->uc(), active_->scratch(), {newCs});
  return true;
}

}  // namespace dlsim
