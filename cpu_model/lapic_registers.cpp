// The local APIC register map: one decoder shared by xAPIC MMIO (offsets in
// the 4 KiB page) and x2APIC MSRs (MSR = 0x800 + offset / 16), with the
// per-mode differences of SDM table 10-6: in x2APIC mode ID and LDR are
// read-only, APR, RRD, DFR and ICR high do not exist, ICR is one 64-bit
// register, EOI and SELF IPI are write-only, and a write of reserved bits to
// EOI, ESR, ICR or SELF IPI, or of bits 63:32 of a 32-bit register, is #GP.
#include "cpu_model/lapic.h"

#include <algorithm>

#include "sim/errors.h"

namespace dlsim {

namespace {
constexpr uint32_t kLvtMaskBit = 1u << 16;
// Writable bits of each LVT entry (CMCI, timer, thermal, perf, LINT0, LINT1, error).
constexpr uint32_t kLvtWritable[] = {0x000107FF, 0x000700FF, 0x000107FF, 0x000107FF,
                                     0x0001A7FF, 0x0001A7FF, 0x000100FF};
constexpr uint32_t kIcrLowWritable = 0x000CCFFF;  // delivery status (bit 12) reads 0
constexpr uint32_t kIcrLowX2Valid = 0x000CCFFF & ~0x1000u;

int highest(const std::array<uint32_t, 8>& bits) {
  for (int i = 7; i >= 0; --i) {
    if (bits[i]) return i * 32 + 31 - __builtin_clz(bits[i]);
  }
  return -1;
}
}  // namespace

uint32_t LocalApics::logicalId(const Cpu& c) const {
  if (!(c.apicBase & kBaseExtd)) return c.ldr;
  // x2APIC: cluster (ID[19:4]) in 31:16, one bit for ID[3:0] in 15:0.
  return ((c.x2apicId >> 4) << 16) | (1u << (c.x2apicId & 0xF));
}

void LocalApics::writeLvt(Cpu& c, int index, uint32_t value) {
  uint32_t v = value & kLvtWritable[index];
  if (!(c.svr & 0x100)) v |= kLvtMaskBit;  // software-disabled: masks stay set
  // Remote IRR (bit 14) of LINT0/LINT1 is read-only; keep the old value.
  if (index == kLvtLint0 || index == kLvtLint1) v |= c.lvt[index] & (1u << 14);
  if (index == kLvtTimer) {
    uint32_t oldMode = timerMode(c), newMode = (v >> 17) & 3;
    if (oldMode != newMode) {
      if (oldMode >= 2 || newMode >= 2) {
        // Switching to or from TSC-deadline mode disarms the timer.
        c.lvt[index] = v;
        c.timerInitial = 0;
        c.timerBase = 0;
        return;
      }
      rebaseTimer(c);
    }
  }
  c.lvt[index] = v;
}

void LocalApics::writeSvr(Cpu& c, uint32_t value) {
  c.svr = value & 0x1FF;
  if (!(c.svr & 0x100)) {
    for (uint32_t& l : c.lvt) l |= kLvtMaskBit;
  }
}

std::optional<uint64_t> LocalApics::readRegister(int cpu, uint32_t off, bool x2) const {
  const Cpu& c = at(cpu);
  switch (off) {
    case 0x020: return x2 ? c.x2apicId : c.idReg;
    case 0x030: return kVersion;
    case 0x080: return c.tpr;
    case 0x090: {  // APR
      if (x2) return std::nullopt;
      int top = std::max(highest(c.irr), highest(c.isr));
      uint32_t cls = top < 0 ? 0 : static_cast<uint32_t>(top) & 0xF0;
      return (c.tpr & 0xF0) >= cls ? c.tpr : cls;
    }
    case 0x0A0: return ppr(cpu);
    case 0x0B0: return x2 ? std::nullopt : std::optional<uint64_t>(0);  // EOI is write-only
    case 0x0C0: return x2 ? std::nullopt : std::optional<uint64_t>(0);  // remote read: never valid
    case 0x0D0: return logicalId(c);
    case 0x0E0: return x2 ? std::nullopt : std::optional<uint64_t>(c.dfr);
    case 0x0F0: return c.svr;
    case 0x280: return c.esr;
    case 0x2F0: return c.lvt[kLvtCmci];
    case 0x300: return x2 ? (uint64_t{c.icrHigh} << 32 | c.icrLow) : c.icrLow;
    case 0x310: return x2 ? std::nullopt : std::optional<uint64_t>(c.icrHigh);
    case 0x320: case 0x330: case 0x340: case 0x350: case 0x360: case 0x370:
      return c.lvt[kLvtTimer + (off - 0x320) / 0x10];
    case 0x380: return c.timerInitial;
    case 0x390: return timerCurrentCount(cpu);
    case 0x3E0: return c.timerDivide;
    default: break;
  }
  if (off >= 0x100 && off < 0x280) {
    uint32_t bankIndex = (off - 0x100) / 0x80, reg = ((off - 0x100) % 0x80) / 0x10;
    const std::array<uint32_t, 8>& bank = bankIndex == 0 ? c.isr : bankIndex == 1 ? c.tmr : c.irr;
    return bank[reg];
  }
  return std::nullopt;  // reserved, or SELF IPI (write-only, x2APIC only)
}

LocalApics::RegWrite LocalApics::writeRegister(int cpu, uint32_t off, uint64_t value, bool x2) {
  Cpu& c = at(cpu);
  uint32_t v = static_cast<uint32_t>(value);
  if (x2 && off != 0x300 && (value >> 32)) return RegWrite::kBadValue;
  switch (off) {
    case 0x020:
      if (x2) return RegWrite::kReadOnly;
      c.idReg = v & 0xFF000000;
      return RegWrite::kDone;
    case 0x030: case 0x0A0: case 0x390:
      return RegWrite::kReadOnly;
    case 0x080:
      c.tpr = v & 0xFF;
      return RegWrite::kDone;
    case 0x090: case 0x0C0:
      return x2 ? RegWrite::kReserved : RegWrite::kReadOnly;
    case 0x0B0:
      if (x2 && v != 0) return RegWrite::kBadValue;
      eoi(c);
      return RegWrite::kDone;
    case 0x0D0:
      if (x2) return RegWrite::kReadOnly;
      c.ldr = v & 0xFF000000;
      return RegWrite::kDone;
    case 0x0E0:
      if (x2) return RegWrite::kReserved;
      c.dfr = v | 0x0FFFFFFF;
      return RegWrite::kDone;
    case 0x0F0:
      writeSvr(c, v);
      return RegWrite::kDone;
    case 0x280:
      if (x2 && v != 0) return RegWrite::kBadValue;
      c.esr = c.esrPending;  // a write latches the errors seen since the last one
      c.esrPending = 0;
      return RegWrite::kDone;
    case 0x2F0:
      writeLvt(c, kLvtCmci, v);
      return RegWrite::kDone;
    case 0x300:
      if (x2) {
        if (static_cast<uint32_t>(value) & ~kIcrLowX2Valid) return RegWrite::kBadValue;
        c.icrLow = static_cast<uint32_t>(value);
        c.icrHigh = static_cast<uint32_t>(value >> 32);
        sendIpi(cpu, c.icrLow, c.icrHigh, true);
      } else {
        c.icrLow = v & kIcrLowWritable & ~0x1000u;
        sendIpi(cpu, c.icrLow, c.icrHigh >> 24, false);
      }
      return RegWrite::kDone;
    case 0x310:
      if (x2) return RegWrite::kReserved;
      c.icrHigh = v & 0xFF000000;
      return RegWrite::kDone;
    case 0x320: case 0x330: case 0x340: case 0x350: case 0x360: case 0x370:
      writeLvt(c, kLvtTimer + static_cast<int>(off - 0x320) / 0x10, v);
      return RegWrite::kDone;
    case 0x380:
      if (timerMode(c) >= 2) return RegWrite::kDone;  // ignored in TSC-deadline mode
      c.timerInitial = v;
      c.timerBase = v;
      c.timerStart = now_();
      return RegWrite::kDone;
    case 0x3E0:
      rebaseTimer(c);
      c.timerDivide = v & 0xB;
      return RegWrite::kDone;
    case 0x3F0:
      if (!x2) return RegWrite::kReserved;
      if (v & ~0xFFu) return RegWrite::kBadValue;
      sendIpi(cpu, (v & 0xFF) | (1u << 18), 0, true);  // fixed, edge, shorthand self
      return RegWrite::kDone;
    default:
      break;
  }
  if (off >= 0x100 && off < 0x280) return RegWrite::kReadOnly;
  return RegWrite::kReserved;
}

// ---- MMIO ----------------------------------------------------------------

uint64_t LocalApics::read(const AccessContext& ctx, uint64_t offset, unsigned size) {
  const uint64_t sizeMask = size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  if (ctx.cpu == AccessContext::kNoCpu) {
    ++counters_.undecodedMmio;
    return sizeMask;
  }
  Cpu& c = at(ctx.cpu);
  if (!(c.apicBase & kBaseEnable) || (c.apicBase & ~uint64_t{0xFFF} & baseMask_) != kMmioBase) {
    ++counters_.undecodedMmio;
    return sizeMask;
  }
  if (c.apicBase & kBaseExtd) {
    ++counters_.undecodedMmio;
    return 0;
  }
  uint32_t reg = static_cast<uint32_t>(offset & 0xFF0);
  unsigned byte = static_cast<unsigned>(offset & 0xF);
  std::optional<uint64_t> v = readRegister(ctx.cpu, reg, false);
  if (!v) {
    c.esrPending |= kEsrIllegalRegister;
    return 0;
  }
  uint64_t value = byte < 4 ? (static_cast<uint32_t>(*v) >> (8 * byte)) : 0;
  return value & sizeMask;
}

void LocalApics::write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) {
  if (ctx.cpu == AccessContext::kNoCpu) {
    ++counters_.undecodedMmio;
    return;
  }
  Cpu& c = at(ctx.cpu);
  if (!(c.apicBase & kBaseEnable) || (c.apicBase & ~uint64_t{0xFFF} & baseMask_) != kMmioBase ||
      (c.apicBase & kBaseExtd)) {
    ++counters_.undecodedMmio;
    return;
  }
  if (size < 4 || (offset & 0xF) != 0) {
    ++counters_.malformedMmio;
    return;
  }
  if (writeRegister(ctx.cpu, static_cast<uint32_t>(offset), value & 0xFFFFFFFF, false) == RegWrite::kReserved) {
    c.esrPending |= kEsrIllegalRegister;
  }
}

// ---- MSRs ----------------------------------------------------------------

std::optional<uint64_t> LocalApics::readMsr(int cpu, uint32_t msr) {
  Cpu& c = at(cpu);
  if (msr == kApicBaseMsr) return c.apicBase;
  if (msr < kX2apicFirstMsr || msr > kX2apicLastMsr) throw InternalError("lapic: MSR not owned");
  if (!(c.apicBase & kBaseExtd)) return std::nullopt;
  return readRegister(cpu, (msr - kX2apicFirstMsr) << 4, true);
}

bool LocalApics::writeMsr(int cpu, uint32_t msr, uint64_t value) {
  Cpu& c = at(cpu);
  if (msr == kApicBaseMsr) return writeApicBase(cpu, value);
  if (msr < kX2apicFirstMsr || msr > kX2apicLastMsr) throw InternalError("lapic: MSR not owned");
  if (!(c.apicBase & kBaseExtd)) return false;
  return writeRegister(cpu, (msr - kX2apicFirstMsr) << 4, value, true) == RegWrite::kDone;
}

void LocalApics::registerMsrs(MsrRegistry& msrs) {
  auto rd = [this](int cpu, uint32_t msr) { return readMsr(cpu, msr); };
  auto wr = [this](int cpu, uint32_t msr, uint64_t v) { return writeMsr(cpu, msr, v); };
  msrs.add(kApicBaseMsr, "lapic", rd, wr);
  msrs.add(MsrRange{kX2apicFirstMsr, kX2apicLastMsr, "lapic", rd, wr});
}

}  // namespace dlsim
