// Task switch for an interrupt or exception through an IDT task gate
// (Intel SDM vol. 3 7.3, "INT n" task-gate pseudo-code). The new task's
// selectors are all checked before anything is written (a real CPU checks
// them after the commit point and raises the fault in the new task; dlsim
// raises it as a delivery failure instead, so the double-fault rules apply).
#include "cpu_model/task_switch.h"

#include <cstring>
#include <vector>

#include "cpu_model/cpu.h"
#include "cpu_model/descriptor_access.h"
#include "cpu_model/engine.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint32_t kNt = 1u << 14, kVm = 1u << 17;
constexpr uint32_t kTssMin = 0x67;  // 32-bit TSS: 104 bytes

// 32-bit TSS offsets.
constexpr size_t kBackLink = 0x00, kCr3 = 0x1c, kEip = 0x20, kEflags = 0x24, kGpr = 0x28, kSegSel = 0x48,
                 kLdt = 0x60;
// General registers in TSS order (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI).
constexpr Reg kGprOrder[8] = {Reg::Rax, Reg::Rcx, Reg::Rdx, Reg::Rbx, Reg::Rsp, Reg::Rbp, Reg::Rsi, Reg::Rdi};
// Segment registers in TSS order (ES, CS, SS, DS, FS, GS).
constexpr Reg kSegOrder[6] = {Reg::Es, Reg::Cs, Reg::Ss, Reg::Ds, Reg::Fs, Reg::Gs};
constexpr SegSlot kSlotOrder[6] = {SegSlot::Es, SegSlot::Cs, SegSlot::Ss, SegSlot::Ds, SegSlot::Fs, SegSlot::Gs};

uint32_t u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint16_t u16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
}  // namespace

std::optional<DeliveryFailure> switchTaskThroughGate(Cpu& cpu, uint16_t sel, uint32_t returnEip,
                                                     std::optional<uint32_t> errorCode, uint32_t ext) {
  auto fail = [](uint32_t v, std::optional<uint32_t> err, std::string why) {
    return std::optional<DeliveryFailure>(DeliveryFailure{v, err, std::move(why), false});
  };
  auto unsupported = [](std::string why) {
    return std::optional<DeliveryFailure>(DeliveryFailure{0, std::nullopt, std::move(why), true});
  };
  const uint32_t selErr = selectorError(sel, ext);
  if (sel & 4) return fail(13, selErr, "task gate selector " + hex(sel) + " is in the LDT");
  auto tss = readRawDescriptor(cpu, sel);
  if (!tss) return fail(13, selErr, "task gate selector " + hex(sel) + " is beyond the GDT limit");
  if (!tss->d.system) return fail(13, selErr, "task gate selector " + hex(sel) + " is not a TSS descriptor");
  if (tss->d.type == 1) return unsupported("task gate to a 16-bit TSS (" + hex(sel) + ") is not supported by dlsim");
  if (tss->d.type == 3 || tss->d.type == 11) return fail(13, selErr, "TSS " + hex(sel) + " is busy");
  if (tss->d.type != 9) return fail(13, selErr, "task gate selector " + hex(sel) + " is not an available TSS");
  if (!tss->d.present) return fail(11, selErr, "TSS " + hex(sel) + " not present");
  if (tss->d.limit < kTssMin) return fail(10, selErr, "TSS " + hex(sel) + " limit " + hex(tss->d.limit) + " < 0x67");

  uc_engine* uc = cpu.engine().uc();
  uc_x86_mmr tr{};
  uc_reg_read(uc, UC_X86_REG_TR, &tr);
  const uint32_t trType = (tr.flags >> 8) & 0x1f;
  if (trType == 0x01 || trType == 0x03) return unsupported("task switch from a 16-bit TSS is not supported by dlsim");
  if ((tr.selector & 0xfffc) == 0 || (trType != 0x09 && trType != 0x0b) || tr.limit < kTssMin)
    return fail(10, selectorError(tr.selector, ext), "current task register " + hex(tr.selector) + " is not a valid 32-bit TSS");

  uint8_t nt[kTssMin + 1];
  if (!cpu.readLinear(tss->d.base, nt, sizeof nt)) return fail(14, 0u, "new TSS at " + hex(tss->d.base) + " not readable");
  const uint32_t newFlags = u32(nt + kEflags);
  if (newFlags & kVm) return unsupported("task switch to a virtual-8086 task is not supported by dlsim");

  // LDT of the new task.
  const uint16_t ldtSel = u16(nt + kLdt);
  uc_x86_mmr ldt{0, 0, 0, 0};
  if (ldtSel & 0xfffc) {
    auto d = (ldtSel & 4) ? std::nullopt : readRawDescriptor(cpu, ldtSel);
    if (!d || !d->d.system || d->d.type != 2 || !d->d.present)
      return fail(10, selectorError(ldtSel, ext), "new task's LDT selector " + hex(ldtSel) + " is not a present LDT");
    ldt = uc_x86_mmr{ldtSel, d->d.base, d->d.limit, d->high()};
  }

  // Segment registers of the new task (SDM table 7-1).
  std::vector<HiddenSegment> segs;
  const uint16_t csSel = u16(nt + kSegSel + 4);
  const uint32_t cpl = csSel & 3;
  for (int i = 0; i < 6; ++i) {
    const uint16_t s = u16(nt + kSegSel + 4 * i);
    const std::string what = std::string("new task's ") + regName(kSegOrder[i]) + " " + hex(s);
    const uint32_t err = selectorError(s, ext);
    if ((s & 0xfffc) == 0) {
      if (kSlotOrder[i] == SegSlot::Cs || kSlotOrder[i] == SegSlot::Ss) return fail(10, err, what + " is null");
      segs.push_back(HiddenSegment{kSlotOrder[i], s, 0, 0, 0});
      continue;
    }
    auto d = readRawDescriptor(cpu, s, ldt);
    if (!d || d->d.system) return fail(10, err, what + " is not a code or data segment");
    const bool code = d->d.code(), conforming = code && (d->d.type & 4);
    const uint32_t rpl = s & 3;
    if (kSlotOrder[i] == SegSlot::Cs) {
      if (!code || (conforming ? d->d.dpl > rpl : d->d.dpl != rpl)) return fail(10, err, what + " is not a usable code segment");
      if (!d->d.present) return fail(11, err, what + " not present");
    } else if (kSlotOrder[i] == SegSlot::Ss) {
      if (code || !(d->d.type & 2) || d->d.dpl != cpl || rpl != cpl) return fail(10, err, what + " is not a writable stack at CPL " + std::to_string(cpl));
      if (!d->d.present) return fail(12, err, what + " not present");
    } else {
      if (code && !(d->d.type & 2)) return fail(10, err, what + " is an execute-only code segment");
      if (!conforming && (d->d.dpl < cpl || d->d.dpl < rpl)) return fail(10, err, what + " DPL " + std::to_string(d->d.dpl) + " is too privileged");
      if (!d->d.present) return fail(11, err, what + " not present");
    }
    segs.push_back(hiddenFrom(kSlotOrder[i], s, *d));
  }
  const HiddenSegment& newCs = segs[1];
  const HiddenSegment& newSs = segs[2];
  const uint32_t newEip = u32(nt + kEip);
  if (newEip > newCs.limit) return fail(13, ext, "new task's EIP " + hex(newEip) + " is beyond its CS limit");
  uint32_t newEsp = u32(nt + kGpr + 16);
  if (errorCode) {
    const bool expandDown = newSs.flags & (1u << 10);
    const uint64_t top = static_cast<uint32_t>(newEsp - 4), max = (newSs.flags & (1u << 22)) ? 0xffffffffull : 0xffff;
    if (expandDown ? (top <= newSs.limit || top + 3 > max) : (top + 3 > newSs.limit))
      return fail(12, ext, "no room for the error code on the new task's stack");
  }

  // Save the current task (the old task stays busy: the new one is nested).
  uint8_t save[kLdt - kEip];
  uint32_t eflags = static_cast<uint32_t>(cpu.reg(Reg::Rflags));
  std::memcpy(save, &returnEip, 4);
  std::memcpy(save + 4, &eflags, 4);
  for (int i = 0; i < 8; ++i) {
    uint32_t v = static_cast<uint32_t>(cpu.reg(kGprOrder[i]));
    std::memcpy(save + 8 + 4 * i, &v, 4);
  }
  for (int i = 0; i < 6; ++i) {
    uint32_t v = static_cast<uint32_t>(cpu.reg(kSegOrder[i]));  // selector, upper half zero
    std::memcpy(save + 40 + 4 * i, &v, 4);
  }
  if (!cpu.writeLinear(tr.base + kEip, save, sizeof save))
    return fail(14, 2u, "current TSS at " + hex(tr.base) + " not writable");
  const uint16_t backLink = tr.selector;
  if (!cpu.writeLinear(tss->d.base + kBackLink, &backLink, 2))
    return fail(14, 2u, "new TSS at " + hex(tss->d.base) + " not writable");
  const uint32_t busyHigh = tss->high() | (2u << 8);  // type 9 -> 11
  if (!writeDescriptorHigh(cpu, *tss, busyHigh)) return fail(14, 2u, "GDT not writable (TSS busy bit)");

  // Load the new task.
  const uint64_t cr0 = cpu.reg(Reg::Cr0);
  cpu.setReg(Reg::Cr0, cr0 | 8);  // CR0.TS
  if (cr0 & (1ull << 31)) cpu.setReg(Reg::Cr3, u32(nt + kCr3));
  uc_x86_mmr newTr{sel, tss->d.base, tss->d.limit, busyHigh};
  uc_reg_write(uc, UC_X86_REG_TR, &newTr);
  uc_reg_write(uc, UC_X86_REG_LDTR, &ldt);
  for (int i = 0; i < 8; ++i) cpu.setReg(kGprOrder[i], u32(nt + kGpr + 4 * i));
  cpu.setReg(Reg::Rflags, newFlags | kNt | 2);
  cpu.setReg(Reg::Rip, newEip);
  loadHiddenSegments(uc, cpu.engine().scratch(), segs);
  if (errorCode) {
    newEsp -= 4;
    const uint32_t ec = *errorCode;
    if (!cpu.writeLinear(newSs.base + newEsp, &ec, 4))
      return fail(14, 2u, "new task's stack " + hex(newSs.base + newEsp) + " not writable");
    cpu.setReg(Reg::Rsp, newEsp);
  }
  return std::nullopt;
}

}  // namespace dlsim
