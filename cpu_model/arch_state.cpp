// Reading and loading a CPU's whole architectural state (arch_state.h).
// The register API writes CR0, CR4, EFER, DR7 and RFLAGS, because writing
// them there updates what the engine derives from them (PE, LMA, TLB); the
// segment caches, table registers, general registers, RIP and CR3 go through
// the saved context (segment_cache.h), because the API cannot load a hidden
// segment part without a descriptor in memory and, in a 32-bit engine,
// reaches neither R8-R15 nor 64-bit values. The CPU moves to the engine the
// new mode needs (engine.h) right away, or, when the state is loaded from
// inside this CPU's own run (an instruction handler), when the run loop next
// looks.
#include "cpu_model/arch_state.h"

#include <unicorn/unicorn.h>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "cpu_model/segment_cache.h"

namespace dlsim {

namespace {
constexpr uint64_t kEferLme = 1ull << 8, kEferLma = 1ull << 10;
constexpr uint64_t kCr0Pe = 1, kCr0Pg = 1ull << 31;
constexpr uint32_t kEferMsr = 0xc0000080;

// The six segment registers of ArchState of SegmentState in ArchState, in SegSlot order.
SegmentState ArchState::*const kSegMembers[6] = {&ArchState::es, &ArchState::cs, &ArchState::ss,
                                                 &ArchState::ds, &ArchState::fs, &ArchState::gs};

SegmentState fromHidden(const HiddenSegment& h) {
  return SegmentState{h.selector, h.base, h.limit, h.flags & SegmentState::kAttributeMask};
}

HiddenSegment toHidden(SegSlot slot, const SegmentState& s) {
  return HiddenSegment{slot, s.selector, s.base, s.limit, s.attributes & SegmentState::kAttributeMask};
}
}  // namespace

SegmentState SegmentState::flatCode32(uint16_t selector) {
  return SegmentState{selector, 0, 0xffffffffu, kGranular | kBig | kPresent | kCodeOrData | (0xbu << 8)};
}

SegmentState SegmentState::flatData32(uint16_t selector) {
  return SegmentState{selector, 0, 0xffffffffu, kGranular | kBig | kPresent | kCodeOrData | (0x3u << 8)};
}

SegmentState SegmentState::code64(uint16_t selector) {
  return SegmentState{selector, 0, 0xffffffffu, kGranular | kLong | kPresent | kCodeOrData | (0xbu << 8)};
}

SegmentState SegmentState::real(uint16_t selector, bool code) {
  return SegmentState{selector, static_cast<uint64_t>(selector) << 4, 0xffff,
                      kPresent | kCodeOrData | ((code ? 0xbu : 0x3u) << 8)};
}

bool ArchState::longMode() const { return (efer & kEferLme) && (cr0 & kCr0Pg) && (cr0 & kCr0Pe); }

ArchState Cpu::archState() {
  uc_engine* uc = active_->uc();
  const RawCpuState raw = readRawCpuState(uc, active_->scratch());
  ArchState s;
  for (int i = 0; i < 16; ++i) s.gprs[i] = raw.gprs[i];
  s.rip = raw.rip;
  s.rflags = reg(Reg::Rflags);
  s.cr0 = raw.cr[0];
  s.cr2 = raw.cr[2];
  s.cr3 = raw.cr[3];
  s.cr4 = raw.cr[4];
  s.efer = efer();
  uint64_t dr7 = 0;
  uc_reg_read(uc, UC_X86_REG_DR7, &dr7);
  s.dr7 = active_->wide() ? dr7 : (dr7 & 0xffffffffull);
  s.gdtr = TableRegister{raw.gdt.base, static_cast<uint16_t>(raw.gdt.limit)};
  s.idtr = TableRegister{raw.idt.base, static_cast<uint16_t>(raw.idt.limit)};
  for (int i = 0; i < 6; ++i) s.*kSegMembers[i] = fromHidden(raw.segs[i]);
  s.ldtr = fromHidden(raw.ldt);
  s.tr = fromHidden(raw.tr);
  return s;
}

void Cpu::setArchState(const ArchState& s) {
  uc_engine* uc = active_->uc();
  // LMA is set by a CR0 write that turns paging on with EFER.LME and
  // CR4.PAE set, and cleared by one that turns it off: go through CR0 with
  // paging off first, so the final write decides.
  uint64_t cr0 = 0;
  uc_reg_read(uc, UC_X86_REG_CR0, &cr0);
  uint64_t noPaging = (cr0 & ~kCr0Pg) | (s.cr0 & kCr0Pe);
  uc_reg_write(uc, UC_X86_REG_CR0, &noPaging);
  setEngineMsr(kEferMsr, s.efer & ~kEferLma);
  // CR4 only when it changes: Unicorn's reset state lets SSE run with
  // CR4.OSFXSR clear, and a write of CR4 (even of the same value) ends that;
  // guests written for dlsim's boot state rely on it.
  uint64_t v = 0;
  uc_reg_read(uc, UC_X86_REG_CR4, &v);
  if (v != s.cr4) {
    v = s.cr4;
    uc_reg_write(uc, UC_X86_REG_CR4, &v);
  }
  v = s.cr3;
  uc_reg_write(uc, UC_X86_REG_CR3, &v);
  v = s.cr0;
  uc_reg_write(uc, UC_X86_REG_CR0, &v);
  v = s.dr7;
  uc_reg_write(uc, UC_X86_REG_DR7, &v);
  setReg(Reg::Rflags, s.rflags);

  RawCpuState raw = readRawCpuState(uc, active_->scratch());
  for (int i = 0; i < 16; ++i) raw.gprs[i] = s.gprs[i];
  raw.rip = s.rip;
  raw.cr[3] = s.cr3;
  raw.cr[2] = s.cr2;  // not through the API: Unicorn 2.1.1 writes a CR2 value into CR3 too
  for (int i = 0; i < 6; ++i) raw.segs[i] = toHidden(static_cast<SegSlot>(i), s.*kSegMembers[i]);
  raw.ldt = toHidden(SegSlot::Ds, s.ldtr);
  raw.tr = toHidden(SegSlot::Ds, s.tr);
  raw.gdt = HiddenSegment{SegSlot::Ds, 0, s.gdtr.base, s.gdtr.limit, 0};
  raw.idt = HiddenSegment{SegSlot::Ds, 0, s.idtr.base, s.idtr.limit, 0};
  writeRawCpuState(uc, active_->scratch(), raw);
  // Writing the IP through the API also ends the block a handler runs in.
  if (active_->wide() || s.rip <= 0xffffffffull) setIp(s.rip);
  else uc_emu_stop(uc);
  uc_ctl_flush_tlb(uc);
  if (!inRun_) syncEngine();
}

}  // namespace dlsim
