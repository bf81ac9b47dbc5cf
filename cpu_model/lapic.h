// The local APICs of all CPUs, modelled as one Device mapped at 0xFEE00000
// (AccessContext.cpu says whose APIC an access reaches) plus the x2APIC MSRs
// 0x800-0x8FF and IA32_APIC_BASE (0x1B). Dynamic launch code uses the APIC
// to park and wake APs (INIT / start-up IPIs, x2APIC ID reads), so IPI
// delivery, the xAPIC/x2APIC state machine and the ID formats follow the
// Intel SDM vol. 3 ch. 10 (11 in newer editions).
//
// Files: lapic.cpp (state, APIC_BASE, timer, interrupt bookkeeping,
// snapshots), lapic_registers.cpp (register map: MMIO offsets and x2APIC
// MSRs), lapic_icr.cpp (ICR decoding and IPI delivery).
//
// Choices where the SDM leaves room, or dlsim simplifies:
// - MMIO: registers are 32 bits at 16-byte aligned offsets. Reads of any size
//   return the bytes of the register at that offset (bytes 4-15 of a slot
//   read 0). Writes take effect only when 4 or 8 bytes wide and aligned
//   (the low 32 bits are written); other writes are dropped and counted.
// - MMIO while the CPU's APIC is in x2APIC mode: reads return 0, writes are
//   ignored. While globally disabled, or with IA32_APIC_BASE moved away from
//   0xFEE00000 (the window stays at 0xFEE00000), the window does not decode
//   for that CPU: reads return all ones, writes are dropped. Both counted.
// - Version register 0x00060014: version 0x14, Max LVT Entry 6 (seven LVT
//   entries, CMCI included), no EOI-broadcast suppression.
// - Lowest-priority delivery goes to the lowest-numbered CPU among the
//   targets. SMI IPIs are counted and dropped. Invalid shorthand/mode pairs
//   (self or all-including-self with anything but fixed) and reserved
//   delivery modes are counted and dropped.
// - An INIT IPI resets the target's APIC (initReset) once IpiSink::deliverInit
//   says it was delivered; an INIT the sink filters out leaves the APIC as is.
// - The timer counts one tick per unit of `now` (retired instructions)
//   before the divider. Raising the timer interrupt is not modelled yet;
//   timerNextExpiry() tells when it would fire.
// - Access by kNoCpu (devices: MSIs land in this window) reads all ones and
//   is dropped (MSI is not modelled).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cpu_model/ipi.h"
#include "cpu_model/msr_registry.h"
#include "sim/device.h"

namespace dlsim {

struct LapicOptions {
  int cpuCount = 1;
  // APIC ID of each CPU (the x2APIC ID; the xAPIC ID is its low 8 bits).
  // Empty: CPU i has ID i. Must be unique.
  std::vector<uint32_t> apicIds;
  int bspCpu = 0;
  // Virtual time in retired instructions; required.
  std::function<uint64_t()> now;
  int maxPhysAddrBits = 46;  // bits of IA32_APIC_BASE.base above this are reserved
};

// Things the guest did that the model dropped; for the report.
struct LapicCounters {
  uint64_t ipisSent = 0;            // messages handed to IpiSink (one per target)
  uint64_t smiIpisIgnored = 0;
  uint64_t initDeassertsIgnored = 0;
  uint64_t invalidIcrWrites = 0;    // reserved mode, invalid shorthand pair, illegal vector
  uint64_t malformedMmio = 0;       // narrow/unaligned writes
  uint64_t undecodedMmio = 0;       // x2APIC mode, disabled, relocated base, kNoCpu
};

class LocalApics : public Device {
 public:
  static constexpr uint64_t kMmioBase = 0xFEE00000;
  static constexpr uint64_t kMmioSize = 0x1000;
  static constexpr uint32_t kApicBaseMsr = 0x1B;
  static constexpr uint32_t kX2apicFirstMsr = 0x800;
  static constexpr uint32_t kX2apicLastMsr = 0x8FF;
  static constexpr uint32_t kVersion = 0x00060014;
  // IA32_APIC_BASE bits.
  static constexpr uint64_t kBaseBsp = 1u << 8;
  static constexpr uint64_t kBaseExtd = 1u << 10;
  static constexpr uint64_t kBaseEnable = 1u << 11;
  // ESR bits.
  static constexpr uint32_t kEsrSendIllegalVector = 1u << 5;
  static constexpr uint32_t kEsrReceiveIllegalVector = 1u << 6;
  static constexpr uint32_t kEsrIllegalRegister = 1u << 7;

  // Throws InputError for a bad CPU count, ID list or BSP index.
  LocalApics(LapicOptions options, IpiSink& sink);

  std::string name() const override { return "lapic"; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  // Registers IA32_APIC_BASE and the x2APIC range, owner "lapic".
  void registerMsrs(MsrRegistry& msrs);
  // RDMSR/WRMSR of 0x1B or 0x800-0x8FF; nullopt / false mean #GP(0).
  std::optional<uint64_t> readMsr(int cpu, uint32_t msr);
  bool writeMsr(int cpu, uint32_t msr, uint64_t value);

  int cpuCount() const { return static_cast<int>(cpus_.size()); }
  uint64_t apicBase(int cpu) const { return at(cpu).apicBase; }
  bool enabled(int cpu) const { return (at(cpu).apicBase & kBaseEnable) != 0; }
  bool x2apicMode(int cpu) const { return (at(cpu).apicBase & kBaseExtd) != 0; }
  bool softwareEnabled(int cpu) const { return (at(cpu).svr & 0x100) != 0; }
  uint32_t initialApicId(int cpu) const { return at(cpu).x2apicId; }
  // For vendor models (TXT SENTER clears it on the RLPs).
  void setBspFlag(int cpu, bool bsp);
  // INIT: every register back to its reset value except IA32_APIC_BASE and ID.
  void initReset(int cpu);

  // Fixed-interrupt bookkeeping for the CPU model.
  // Highest IRR vector whose priority class exceeds PPR's, or -1.
  int pendingVector(int cpu) const;
  // The CPU takes `vector`: IRR -> ISR. InternalError when not pending.
  void acceptInterrupt(int cpu, int vector);
  // An interrupt arrives. False (dropped) when the APIC is disabled
  // (globally or by software) or the vector is below 16 (ESR bit 6).
  bool setIrr(int cpu, int vector, bool levelTriggered = false);
  uint32_t ppr(int cpu) const;

  // Timer.
  uint32_t timerCurrentCount(int cpu) const;
  // Virtual time at which the count next reaches zero, or nullopt when the
  // timer is not counting.
  std::optional<uint64_t> timerNextExpiry(int cpu) const;

  const LapicCounters& counters() const { return counters_; }

 private:
  enum Lvt { kLvtCmci, kLvtTimer, kLvtThermal, kLvtPerf, kLvtLint0, kLvtLint1, kLvtError, kLvtCount };
  struct Cpu {
    uint64_t apicBase = 0;
    uint32_t x2apicId = 0;   // fixed at construction
    uint32_t idReg = 0;      // xAPIC ID register (ID in bits 31:24)
    uint32_t tpr = 0, ldr = 0, dfr = 0xFFFFFFFF, svr = 0xFF;
    std::array<uint32_t, 8> isr{}, tmr{}, irr{};
    uint32_t esr = 0, esrPending = 0;
    std::array<uint32_t, kLvtCount> lvt{};
    uint32_t icrLow = 0, icrHigh = 0;
    uint32_t timerInitial = 0, timerDivide = 0;
    uint64_t timerStart = 0;  // virtual time when counting from timerBase began
    uint32_t timerBase = 0;   // count at timerStart
  };
  enum class RegWrite { kDone, kReadOnly, kReserved, kBadValue };

  Cpu& at(int cpu);
  const Cpu& at(int cpu) const;
  void resetRegisters(Cpu& c);
  bool writeApicBase(int cpu, uint64_t value);

  // lapic_registers.cpp
  std::optional<uint64_t> readRegister(int cpu, uint32_t offset, bool x2) const;
  RegWrite writeRegister(int cpu, uint32_t offset, uint64_t value, bool x2);
  uint32_t logicalId(const Cpu& c) const;  // LDR as read in the current mode
  void writeLvt(Cpu& c, int index, uint32_t value);
  void writeSvr(Cpu& c, uint32_t value);

  // lapic.cpp: timer and priorities
  uint32_t timerDivisor(const Cpu& c) const;
  uint32_t timerMode(const Cpu& c) const { return (c.lvt[kLvtTimer] >> 17) & 3; }
  void rebaseTimer(Cpu& c);
  void eoi(Cpu& c);

  // lapic_icr.cpp
  void sendIpi(int from, uint32_t low, uint32_t dest, bool x2);
  std::vector<int> resolveDestination(int from, uint32_t shorthand, uint32_t dest, bool logical, bool x2) const;
  bool matchesLogical(const Cpu& target, uint32_t dest, bool x2) const;

  IpiSink& sink_;
  std::function<uint64_t()> now_;
  uint64_t baseMask_;  // writable bits of IA32_APIC_BASE
  std::vector<Cpu> cpus_;
  LapicCounters counters_;
};

}  // namespace dlsim
