// Local APIC state: construction, IA32_APIC_BASE state machine, INIT reset,
// priorities and IRR/ISR bookkeeping, the timer counter and snapshots.
// The register map is in lapic_registers.cpp, IPIs in lapic_icr.cpp.
#include "cpu_model/lapic.h"

#include <set>

#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint32_t kLvtMask = 1u << 16;
constexpr uint32_t kStateTag = 0x4C415043;  // "LAPC"
constexpr uint8_t kStateVersion = 1;

int highestBit(const std::array<uint32_t, 8>& bits) {
  for (int i = 7; i >= 0; --i) {
    if (bits[i]) return i * 32 + 31 - __builtin_clz(bits[i]);
  }
  return -1;
}
bool testBit(const std::array<uint32_t, 8>& bits, int v) { return (bits[v / 32] >> (v % 32)) & 1; }
void setBit(std::array<uint32_t, 8>& bits, int v, bool on) {
  if (on) bits[v / 32] |= 1u << (v % 32);
  else bits[v / 32] &= ~(1u << (v % 32));
}
}  // namespace

LocalApics::LocalApics(LapicOptions o, IpiSink& sink) : sink_(sink), now_(std::move(o.now)) {
  if (o.cpuCount < 1 || o.cpuCount > 4096) {
    throw InputError("lapic: cpu count " + std::to_string(o.cpuCount) + " outside 1..4096");
  }
  if (!o.apicIds.empty() && o.apicIds.size() != static_cast<size_t>(o.cpuCount)) {
    throw InputError("lapic: " + std::to_string(o.apicIds.size()) + " APIC IDs given for " +
                     std::to_string(o.cpuCount) + " CPUs");
  }
  if (o.bspCpu < 0 || o.bspCpu >= o.cpuCount) {
    throw InputError("lapic: BSP cpu " + std::to_string(o.bspCpu) + " outside 0.." + std::to_string(o.cpuCount - 1));
  }
  if (o.maxPhysAddrBits < 32 || o.maxPhysAddrBits > 52) {
    throw InputError("lapic: max physical address bits " + std::to_string(o.maxPhysAddrBits) + " outside 32..52");
  }
  if (!now_) throw InternalError("lapic: no virtual clock given");
  if (sink_.cpuCount() != o.cpuCount) {
    throw InternalError("lapic: IPI sink has " + std::to_string(sink_.cpuCount()) + " CPUs, lapic " +
                        std::to_string(o.cpuCount));
  }
  baseMask_ = (((uint64_t{1} << o.maxPhysAddrBits) - 1) & ~uint64_t{0xFFF}) | kBaseBsp | kBaseExtd | kBaseEnable;
  std::set<uint32_t> seen;
  cpus_.resize(static_cast<size_t>(o.cpuCount));
  for (int i = 0; i < o.cpuCount; ++i) {
    Cpu& c = cpus_[static_cast<size_t>(i)];
    c.x2apicId = o.apicIds.empty() ? static_cast<uint32_t>(i) : o.apicIds[static_cast<size_t>(i)];
    if (c.x2apicId == 0xFFFFFFFF) throw InputError("lapic: APIC ID of cpu " + std::to_string(i) + " is the broadcast ID 0xffffffff");
    if (!seen.insert(c.x2apicId).second) {
      throw InputError("lapic: APIC ID " + hex(c.x2apicId) + " of cpu " + std::to_string(i) + " is not unique");
    }
    c.apicBase = kMmioBase | kBaseEnable | (i == o.bspCpu ? kBaseBsp : 0);
    c.idReg = (c.x2apicId & 0xFF) << 24;
    resetRegisters(c);
  }
}

LocalApics::Cpu& LocalApics::at(int cpu) {
  if (cpu < 0 || cpu >= cpuCount()) throw InternalError("lapic: cpu " + std::to_string(cpu) + " out of range");
  return cpus_[static_cast<size_t>(cpu)];
}
const LocalApics::Cpu& LocalApics::at(int cpu) const {
  if (cpu < 0 || cpu >= cpuCount()) throw InternalError("lapic: cpu " + std::to_string(cpu) + " out of range");
  return cpus_[static_cast<size_t>(cpu)];
}

void LocalApics::resetRegisters(Cpu& c) {
  c.tpr = 0;
  c.ldr = 0;
  c.dfr = 0xFFFFFFFF;
  c.svr = 0xFF;
  c.isr.fill(0);
  c.tmr.fill(0);
  c.irr.fill(0);
  c.esr = c.esrPending = 0;
  c.lvt.fill(kLvtMask);
  c.icrLow = c.icrHigh = 0;
  c.timerInitial = c.timerDivide = 0;
  c.timerStart = 0;
  c.timerBase = 0;
}

void LocalApics::initReset(int cpu) { resetRegisters(at(cpu)); }

void LocalApics::setBspFlag(int cpu, bool bsp) {
  Cpu& c = at(cpu);
  c.apicBase = bsp ? (c.apicBase | kBaseBsp) : (c.apicBase & ~kBaseBsp);
}

bool LocalApics::writeApicBase(int cpu, uint64_t v) {
  Cpu& c = at(cpu);
  if (v & ~baseMask_) return false;  // reserved bits
  const uint64_t modeBits = kBaseEnable | kBaseExtd;
  uint64_t oldMode = c.apicBase & modeBits, newMode = v & modeBits;
  if (newMode == kBaseExtd) return false;                                // invalid state
  if (oldMode == modeBits && newMode == kBaseEnable) return false;       // x2APIC -> xAPIC
  if (oldMode == 0 && newMode == modeBits) return false;                 // disabled -> x2APIC
  if (oldMode != 0 && newMode == 0) {
    // Disabling loses all state but the IDs (SDM 10.12.5.1).
    resetRegisters(c);
    c.idReg = (c.x2apicId & 0xFF) << 24;
  }
  c.apicBase = v;
  return true;
}

// ---- priorities and interrupt bookkeeping --------------------------------

uint32_t LocalApics::ppr(int cpu) const {
  const Cpu& c = at(cpu);
  int isrv = highestBit(c.isr);
  uint32_t isrClass = isrv < 0 ? 0 : static_cast<uint32_t>(isrv) & 0xF0;
  return (c.tpr & 0xF0) >= isrClass ? (c.tpr & 0xFF) : isrClass;
}

int LocalApics::pendingVector(int cpu) const {
  const Cpu& c = at(cpu);
  if (!(c.apicBase & kBaseEnable)) return -1;
  int v = highestBit(c.irr);
  if (v < 0) return -1;
  return (static_cast<uint32_t>(v) >> 4) > (ppr(cpu) >> 4) ? v : -1;
}

void LocalApics::acceptInterrupt(int cpu, int vector) {
  Cpu& c = at(cpu);
  if (vector < 0 || vector > 255 || !testBit(c.irr, vector)) {
    throw InternalError("lapic: cpu " + std::to_string(cpu) + " accepts vector " + std::to_string(vector) +
                        " which is not pending");
  }
  setBit(c.irr, vector, false);
  setBit(c.isr, vector, true);
}

bool LocalApics::setIrr(int cpu, int vector, bool levelTriggered) {
  Cpu& c = at(cpu);
  if (vector < 0 || vector > 255) throw InternalError("lapic: vector " + std::to_string(vector) + " out of range");
  if (!(c.apicBase & kBaseEnable) || !(c.svr & 0x100)) return false;
  if (vector < 16) {
    c.esrPending |= kEsrReceiveIllegalVector;
    return false;
  }
  setBit(c.irr, vector, true);
  setBit(c.tmr, vector, levelTriggered);
  return true;
}

void LocalApics::eoi(Cpu& c) {
  int v = highestBit(c.isr);
  if (v < 0) return;
  setBit(c.isr, v, false);
  setBit(c.tmr, v, false);  // level EOI to the I/O APIC is not modelled
}

// ---- timer ---------------------------------------------------------------

uint32_t LocalApics::timerDivisor(const Cpu& c) const {
  uint32_t code = (c.timerDivide & 3) | ((c.timerDivide >> 1) & 4);
  return code == 7 ? 1 : 2u << code;
}

uint32_t LocalApics::timerCurrentCount(int cpu) const {
  const Cpu& c = at(cpu);
  uint32_t mode = timerMode(c);
  if (c.timerInitial == 0 || mode >= 2) return 0;  // stopped, or TSC-deadline / reserved mode
  uint64_t t = now_();
  uint64_t ticks = (t > c.timerStart ? t - c.timerStart : 0) / timerDivisor(c);
  if (ticks < c.timerBase) return static_cast<uint32_t>(c.timerBase - ticks);
  if (mode == 0) return 0;  // one-shot expired
  // Periodic: at zero the count reloads from the initial count.
  return static_cast<uint32_t>(c.timerInitial - (ticks - c.timerBase) % c.timerInitial);
}

std::optional<uint64_t> LocalApics::timerNextExpiry(int cpu) const {
  const Cpu& c = at(cpu);
  uint32_t mode = timerMode(c);
  if (c.timerInitial == 0 || mode >= 2) return std::nullopt;
  uint64_t div = timerDivisor(c);
  uint64_t t = now_();
  uint64_t ticks = (t > c.timerStart ? t - c.timerStart : 0) / div;
  if (ticks < c.timerBase) return c.timerStart + c.timerBase * div;
  if (mode == 0) return std::nullopt;
  uint64_t periods = (ticks - c.timerBase) / c.timerInitial + 1;
  return c.timerStart + (c.timerBase + periods * c.timerInitial) * div;
}

// Restart counting from the current count at the current time, so a change
// of divider or mode applies from now on.
void LocalApics::rebaseTimer(Cpu& c) {
  int index = static_cast<int>(&c - cpus_.data());
  c.timerBase = timerCurrentCount(index);
  c.timerStart = now_();
}

// ---- snapshots -----------------------------------------------------------

std::vector<uint8_t> LocalApics::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u32(static_cast<uint32_t>(cpus_.size()));
  for (const Cpu& c : cpus_) {
    w.u64(c.apicBase);
    w.u32(c.x2apicId);
    for (uint32_t v : {c.idReg, c.tpr, c.ldr, c.dfr, c.svr}) w.u32(v);
    for (const auto* bank : {&c.isr, &c.tmr, &c.irr}) {
      for (uint32_t v : *bank) w.u32(v);
    }
    w.u32(c.esr);
    w.u32(c.esrPending);
    for (uint32_t v : c.lvt) w.u32(v);
    for (uint32_t v : {c.icrLow, c.icrHigh, c.timerInitial, c.timerDivide}) w.u32(v);
    w.u64(c.timerStart);
    w.u32(c.timerBase);
  }
  for (uint64_t v : {counters_.ipisSent, counters_.smiIpisIgnored, counters_.initDeassertsIgnored,
                     counters_.invalidIcrWrites, counters_.malformedMmio, counters_.undecodedMmio}) {
    w.u64(v);
  }
  return w.take();
}

void LocalApics::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "lapic");
  r.expectHeader(kStateTag, kStateVersion);
  uint32_t n = r.u32("cpu_count");
  if (n != cpus_.size()) r.fail("cpu_count", std::to_string(n) + " but the machine has " + std::to_string(cpus_.size()));
  std::vector<Cpu> cpus = cpus_;
  for (size_t i = 0; i < n; ++i) {
    Cpu& c = cpus[i];
    c.apicBase = r.u64("apic_base");
    uint64_t mode = c.apicBase & (kBaseEnable | kBaseExtd);
    if ((c.apicBase & ~baseMask_) || mode == kBaseExtd) r.fail("apic_base", hex(c.apicBase) + " is not a valid state");
    uint32_t id = r.u32("x2apic_id");
    if (id != c.x2apicId) r.fail("x2apic_id", hex(id) + " but cpu " + std::to_string(i) + " has " + hex(c.x2apicId));
    for (uint32_t* p : {&c.idReg, &c.tpr, &c.ldr, &c.dfr, &c.svr}) *p = r.u32("register");
    for (auto* bank : {&c.isr, &c.tmr, &c.irr}) {
      for (uint32_t& v : *bank) v = r.u32("vector_bits");
    }
    c.esr = r.u32("esr");
    c.esrPending = r.u32("esr_pending");
    for (uint32_t& v : c.lvt) v = r.u32("lvt");
    for (uint32_t* p : {&c.icrLow, &c.icrHigh, &c.timerInitial, &c.timerDivide}) *p = r.u32("register");
    c.timerStart = r.u64("timer_start");
    c.timerBase = r.u32("timer_base");
    if (c.timerInitial == 0 && c.timerBase != 0) r.fail("timer_base", "non-zero with a stopped timer");
  }
  LapicCounters k;
  for (uint64_t* p : {&k.ipisSent, &k.smiIpisIgnored, &k.initDeassertsIgnored, &k.invalidIcrWrites,
                      &k.malformedMmio, &k.undecodedMmio}) {
    *p = r.u64("counter");
  }
  r.expectEnd();
  cpus_ = std::move(cpus);
  counters_ = k;
}

}  // namespace dlsim
