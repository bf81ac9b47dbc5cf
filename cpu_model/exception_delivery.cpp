// Exception and interrupt delivery through the guest's IVT (real mode) or IDT
// (protected and long mode). Unicorn reports exceptions but never delivers
// them; dlsim does it here, including the double-fault rules and shutdown on
// a triple fault. Delivery to a handler at a higher privilege (ring 3 -> 0
// stack switch) and task gates are reported as guest errors: secure-launch
// code runs at ring 0 and uses neither.
#include <unicorn/unicorn.h>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "cpu_model/exception_names.h"
#include "cpu_model/segments.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint64_t kIf = 1 << 9, kTf = 1 << 8, kNt = 1 << 14, kRf = 1 << 16, kVm = 1 << 17, kAc = 1 << 18;

bool contributory(uint32_t v) { return v == 0 || (v >= 10 && v <= 13); }

std::string describe(uint32_t vector, std::optional<uint32_t> err, uint64_t at) {
  std::string s = exceptionName(vector);
  if (err) s += "(" + hex(*err) + ")";
  return s + " at " + hex(at);
}

// A failure while delivering: the exception it raises instead.
struct Failure {
  uint32_t vector;
  std::optional<uint32_t> error;
  std::string why;
};
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
  e.stop = StopInfo{stop_reason::kTripleFault, index_, at,
                    "triple fault on CPU " + std::to_string(index_) + ": " + chain + " (" + why + ")"};
  requestStop(e);
}

void Cpu::deliverInterrupts() {
  if (!platform_.interrupts) return;
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
  const uint64_t cr0 = reg(Reg::Cr0);
  const uint64_t flags = reg(Reg::Rflags);
  const uint64_t retIp = ip();
  const uint32_t ext = e.external ? 1 : 0;
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

  const bool longMode = inLongMode();
  const uint32_t gateSize = longMode ? 16 : 8;
  if (e.vector * gateSize + gateSize - 1 > idtr.limit)
    return fail(13, e.vector * 8 + 2 + ext, "vector " + std::to_string(e.vector) + " is beyond the IDT limit " +
                                                hex(idtr.limit));
  uint64_t gate[2] = {0, 0};
  if (!readLinear(idtr.base + e.vector * gateSize, gate, gateSize)) return fail(14, 0u, "IDT not readable");
  const uint32_t lo = static_cast<uint32_t>(gate[0]), hi = static_cast<uint32_t>(gate[0] >> 32);
  const uint32_t type = (hi >> 8) & 0x1f;
  if (type == 0x05) return fail(0xffffffffu, std::nullopt, "task gates are not supported by dlsim");
  if (type != 0x0e && type != 0x0f) return fail(13, e.vector * 8 + 2 + ext, "IDT entry is not an interrupt/trap gate");
  if (!(hi & (1u << 15))) return fail(11, e.vector * 8 + 2 + ext, "IDT entry not present");
  const uint16_t sel = static_cast<uint16_t>(lo >> 16);
  uint64_t target = (lo & 0xffff) | (hi & 0xffff0000u);
  if (longMode) target |= (gate[1] & 0xffffffffull) << 32;
  auto cs = readSegmentDescriptor(*this, sel);
  if (!cs || !cs->code()) return fail(13, (sel & 0xfffc) + ext, "gate selector " + hex(sel) + " is not a code segment");
  if (!cs->present) return fail(11, (sel & 0xfffc) + ext, "code segment " + hex(sel) + " not present");
  const uint32_t cpl = reg(Reg::Cs) & 3;
  if (cs->dpl < cpl)
    return fail(0xffffffffu, std::nullopt, "delivery with a privilege change (CPL " + std::to_string(cpl) +
                                               " -> " + std::to_string(cs->dpl) + ") is not supported by dlsim");
  if (longMode && !cs->longMode) return fail(13, (sel & 0xfffc) + ext, "gate target is not a 64-bit code segment");

  const uint64_t newFlags = flags & ~(kTf | kNt | kRf | kVm) & (type == 0x0e ? ~kIf : ~0ull);
  if (longMode) {
    uint64_t rsp = reg(Reg::Rsp);
    uint32_t ist = hi & 7;
    if (ist) {
      uc_x86_mmr tr{};
      uc_reg_read(active_->uc(), UC_X86_REG_TR, &tr);
      if (!readLinear(tr.base + 0x24 + 8 * (ist - 1), &rsp, 8)) return fail(10, 0u, "TSS IST not readable");
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
  } else {
    auto ss = readSegmentDescriptor(*this, static_cast<uint16_t>(reg(Reg::Ss)));
    uint64_t ssBase = ss ? ss->base : 0;
    uint32_t esp = static_cast<uint32_t>(reg(Reg::Rsp));
    uint32_t frame[4];
    int n = 0;
    if (e.errorCode) frame[n++] = *e.errorCode;
    frame[n++] = static_cast<uint32_t>(retIp);
    frame[n++] = static_cast<uint32_t>(reg(Reg::Cs));
    frame[n++] = static_cast<uint32_t>(flags);
    esp -= 4 * n;
    if (!writeLinear(ssBase + esp, frame, 4 * n)) return fail(14, 2u, "stack " + hex(ssBase + esp) + " not writable");
    setReg(Reg::Rsp, esp);
  }
  setReg(Reg::Rflags, newFlags);
  if (sel != reg(Reg::Cs)) setReg(Reg::Cs, sel);
  setReg(Reg::Rip, target);
  return true;
}

}  // namespace dlsim
