#include "cpu_model/architectural_msrs.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "cpu_model/cpuid_profile.h"
#include "cpu_model/msr_registry.h"
#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "sim/snapshot/snapshot_registry.h"

namespace dlsim {

namespace {

using namespace arch_msr;

constexpr int kFixedMsrs = 11;  // 0x250, 0x258, 0x259, 0x268..0x26F
constexpr int kMaxBanks = 32;
constexpr int kMaxVariable = 40;  // 0x200-0x24F: below the first fixed-range MTRR

struct PerCpu {
  uint64_t smmMonitorCtl = 0;
  uint64_t defType = 0;
  std::vector<uint64_t> physBase, physMask;  // variableMtrrs each
  std::array<uint64_t, kFixedMsrs> fixed{};
  uint64_t mcgStatus = 0;
  std::vector<uint64_t> banks;  // 4 per bank: CTL, STATUS, ADDR, MISC
};

struct State {
  ArchMsrConfig config;
  std::vector<PerCpu> cpus;
  uint64_t platformId = 0;

  uint64_t mtrrCap() const {
    return static_cast<uint64_t>(config.variableMtrrs) | (config.fixedMtrrs ? 1ull << 8 : 0) |
           (config.writeCombining ? 1ull << 10 : 0);
  }
  uint64_t mcgCap() const { return static_cast<uint64_t>(config.machineCheckBanks); }
  // Bits MAXPHYADDR-1:12 of a variable-range MTRR.
  uint64_t addressBits() const { return ((1ull << config.physAddrBits) - 1) & ~0xfffull; }

  // Memory types an MTRR may hold (SDM vol. 3A, 11.11.1, table 11-8):
  // UC 0, WC 1 (when MTRRCAP.WC), WT 4, WP 5, WB 6; the rest are reserved.
  bool validType(uint64_t t) const {
    return t == 0 || (t == 1 && config.writeCombining) || t == 4 || t == 5 || t == 6;
  }
  bool validFixed(uint64_t v) const {
    for (int i = 0; i < 8; ++i)
      if (!validType((v >> (8 * i)) & 0xff)) return false;
    return true;
  }
};

// Index of a fixed-range MTRR in PerCpu::fixed, or -1.
int fixedIndex(uint32_t msr) {
  if (msr == kMtrrFix64k) return 0;
  if (msr == kMtrrFix16k80000) return 1;
  if (msr == kMtrrFix16kA0000) return 2;
  if (msr >= kMtrrFix4kC0000 && msr <= kMtrrFix4kC0000 + 7) return 3 + static_cast<int>(msr - kMtrrFix4kC0000);
  return -1;
}

std::optional<uint64_t> readMtrr(const State& s, int cpu, uint32_t msr) {
  const PerCpu& c = s.cpus[static_cast<size_t>(cpu)];
  if (msr == kMtrrCap) return s.mtrrCap();
  if (msr == kMtrrDefType) return c.defType;
  if (msr >= kMtrrPhysBase0 && msr < kMtrrPhysBase0 + 2u * static_cast<uint32_t>(s.config.variableMtrrs)) {
    const size_t n = (msr - kMtrrPhysBase0) / 2;
    return (msr & 1) ? c.physMask[n] : c.physBase[n];
  }
  const int f = fixedIndex(msr);
  if (f >= 0 && s.config.fixedMtrrs) return c.fixed[static_cast<size_t>(f)];
  return std::nullopt;  // beyond MTRRCAP.VCNT, or fixed ranges absent: #GP
}

// Software writes (SDM vol. 3A, 11.11.2-11.11.3; vol. 4, table 2-2): reserved
// bits set, or a type the table does not allow, raise #GP.
bool writeMtrr(State& s, int cpu, uint32_t msr, uint64_t v) {
  PerCpu& c = s.cpus[static_cast<size_t>(cpu)];
  if (msr == kMtrrDefType) {
    // Type 7:0, FE bit 10 (only with fixed ranges), E bit 11; the rest reserved.
    const uint64_t allowed = 0xffull | (s.config.fixedMtrrs ? 1ull << 10 : 0) | (1ull << 11);
    if ((v & ~allowed) || !s.validType(v & 0xff)) return false;
    c.defType = v;
    return true;
  }
  if (msr >= kMtrrPhysBase0 && msr < kMtrrPhysBase0 + 2u * static_cast<uint32_t>(s.config.variableMtrrs)) {
    const size_t n = (msr - kMtrrPhysBase0) / 2;
    if (msr & 1) {  // PHYSMASK: V bit 11, mask MAXPHYADDR-1:12
      if (v & ~(s.addressBits() | (1ull << 11))) return false;
      c.physMask[n] = v;
    } else {  // PHYSBASE: type 7:0, base MAXPHYADDR-1:12
      if ((v & ~(s.addressBits() | 0xffull)) || !s.validType(v & 0xff)) return false;
      c.physBase[n] = v;
    }
    return true;
  }
  const int f = fixedIndex(msr);
  if (f >= 0 && s.config.fixedMtrrs && s.validFixed(v)) {
    c.fixed[static_cast<size_t>(f)] = v;
    return true;
  }
  return false;
}

std::optional<uint64_t> readBank(const State& s, int cpu, uint32_t msr) {
  const uint32_t i = msr - kMc0Ctl;
  if (i >= 4u * static_cast<uint32_t>(s.config.machineCheckBanks)) return std::nullopt;
  return s.cpus[static_cast<size_t>(cpu)].banks[i];
}

// SDM vol. 3B, 15.3.2.2: software clears MCi_STATUS by writing zeros;
// writing ones raises #GP. CTL, ADDR and MISC take any value.
bool writeBank(State& s, int cpu, uint32_t msr, uint64_t v, bool platform) {
  const uint32_t i = msr - kMc0Ctl;
  if (i >= 4u * static_cast<uint32_t>(s.config.machineCheckBanks)) return false;
  if (i % 4 == 1 && v != 0 && !platform) return false;
  s.cpus[static_cast<size_t>(cpu)].banks[i] = v;
  return true;
}

// What RESET does (architectural_msrs.h has the SDM references).
void platformReset(State& s, ResetKind kind) {
  for (PerCpu& c : s.cpus) {
    c.defType = 0;
    std::fill(c.physBase.begin(), c.physBase.end(), 0);
    std::fill(c.physMask.begin(), c.physMask.end(), 0);
    c.fixed.fill(0);
    c.mcgStatus = 0;
    if (kind == ResetKind::Cold) std::fill(c.banks.begin(), c.banks.end(), 0);
  }
}

constexpr uint32_t kTag = 0x534d4141;  // "AAMS"
constexpr uint8_t kVersion = 1;

std::vector<uint8_t> save(const State& s) {
  StateWriter w;
  w.u32(kTag);
  w.u8(kVersion);
  w.u64(s.cpus.size());
  w.u64(s.platformId);
  for (const PerCpu& c : s.cpus) {
    w.u64(c.smmMonitorCtl);
    w.u64(c.defType);
    for (size_t n = 0; n < c.physBase.size(); ++n) {
      w.u64(c.physBase[n]);
      w.u64(c.physMask[n]);
    }
    for (uint64_t f : c.fixed) w.u64(f);
    w.u64(c.mcgStatus);
    for (uint64_t b : c.banks) w.u64(b);
  }
  return w.take();
}

void restore(State& s, std::span<const uint8_t> bytes) {
  StateReader r(bytes, "architectural MSRs");
  r.expectHeader(kTag, kVersion);
  if (r.u64("cpus") != s.cpus.size()) r.fail("cpus", "the snapshot is of another CPU count");
  s.platformId = r.u64("platform_id");
  for (PerCpu& c : s.cpus) {
    c.smmMonitorCtl = r.u64("smm_monitor_ctl");
    c.defType = r.u64("mtrr_def_type");
    for (size_t n = 0; n < c.physBase.size(); ++n) {
      c.physBase[n] = r.u64("mtrr_physbase");
      c.physMask[n] = r.u64("mtrr_physmask");
    }
    for (uint64_t& f : c.fixed) f = r.u64("mtrr_fixed");
    c.mcgStatus = r.u64("mcg_status");
    for (uint64_t& b : c.banks) b = r.u64("mc_bank");
  }
  r.expectEnd();
}

}  // namespace

ArchMsrConfig archMsrConfigFor(int cpus, const CpuidProfile& cpuid) {
  ArchMsrConfig c;
  c.cpus = cpus;
  const uint32_t bits = cpuid.query(0x80000000, 0, 0, cpus).eax >= 0x80000008
                            ? cpuid.query(0x80000008, 0, 0, cpus).eax & 0xff
                            : 36;  // SDM: 36 when the leaf is absent
  c.physAddrBits = static_cast<int>(std::clamp<uint32_t>(bits, 32, 52));
  return c;
}

std::function<void(ResetKind)> registerArchitecturalMsrs(MsrRegistry& msrs, SnapshotRegistry& snapshots,
                                                         const ArchMsrConfig& config) {
  if (config.cpus < 1 || config.variableMtrrs < 0 || config.variableMtrrs > kMaxVariable ||
      config.machineCheckBanks < 0 || config.machineCheckBanks > kMaxBanks || config.physAddrBits < 32 ||
      config.physAddrBits > 52)
    throw InternalError("architectural MSRs: configuration out of range");
  auto s = std::make_shared<State>();
  s->config = config;
  s->platformId = config.platformId;
  PerCpu blank;
  blank.physBase.assign(static_cast<size_t>(config.variableMtrrs), 0);
  blank.physMask.assign(static_cast<size_t>(config.variableMtrrs), 0);
  blank.banks.assign(4u * static_cast<size_t>(config.machineCheckBanks), 0);
  s->cpus.assign(static_cast<size_t>(config.cpus), blank);

  auto inRange = [s](int cpu) { return cpu >= 0 && static_cast<size_t>(cpu) < s->cpus.size(); };

  // IA32_PLATFORM_ID: read-only to software (vol. 4, table 2-2); the
  // platform sets it.
  msrs.add(MsrRange{kPlatformId, kPlatformId, "platform",
                    [s](int, uint32_t) -> std::optional<uint64_t> { return s->platformId; },
                    [](int, uint32_t, uint64_t) { return false; },
                    [s](int, uint32_t, uint64_t v) {
                      s->platformId = v;
                      return true;
                    }});
  // IA32_SMM_MONITOR_CTL: valid bit 0, bit 2, MSEG base 31:12 (SDM vol. 3C,
  // "Enabling the dual-monitor treatment"). dlsim has no SMM, and the MSR
  // may be written only in SMM: WRMSR raises #GP; the platform (a
  // scenario's BIOS stand-in) may set a value.
  msrs.add(MsrRange{kSmmMonitorCtl, kSmmMonitorCtl, "platform",
                    [s, inRange](int cpu, uint32_t) -> std::optional<uint64_t> {
                      if (!inRange(cpu)) return std::nullopt;
                      return s->cpus[static_cast<size_t>(cpu)].smmMonitorCtl;
                    },
                    [](int, uint32_t, uint64_t) { return false; },
                    [s, inRange](int cpu, uint32_t, uint64_t v) {
                      if (!inRange(cpu) || (v & ~0xfffff005ull)) return false;
                      s->cpus[static_cast<size_t>(cpu)].smmMonitorCtl = v;
                      return true;
                    }});
  // IA32_MTRRCAP (read-only).
  msrs.add(MsrRange{kMtrrCap, kMtrrCap, "mtrr",
                    [s](int, uint32_t) -> std::optional<uint64_t> { return s->mtrrCap(); },
                    [](int, uint32_t, uint64_t) { return false; }, nullptr});
  // The variable ranges (only MTRRCAP.VCNT pairs exist), the fixed ranges
  // (only with MTRRCAP.FIX) and DEF_TYPE; PAT (0x277) stays the engine's.
  auto addMtrrs = [&](uint32_t first, uint32_t last) {
    msrs.add(MsrRange{first, last, "mtrr",
                      [s, inRange](int cpu, uint32_t msr) -> std::optional<uint64_t> {
                        if (!inRange(cpu)) return std::nullopt;
                        return readMtrr(*s, cpu, msr);
                      },
                      [s, inRange](int cpu, uint32_t msr, uint64_t v) {
                        return inRange(cpu) && writeMtrr(*s, cpu, msr, v);
                      },
                      nullptr});
  };
  if (config.variableMtrrs > 0)
    addMtrrs(kMtrrPhysBase0, kMtrrPhysBase0 + 2u * static_cast<uint32_t>(config.variableMtrrs) - 1);
  if (config.fixedMtrrs) {
    addMtrrs(kMtrrFix64k, kMtrrFix64k);
    addMtrrs(kMtrrFix16k80000, kMtrrFix16kA0000);
    addMtrrs(kMtrrFix4kC0000, kMtrrFix4kC0000 + 7);
  }
  addMtrrs(kMtrrDefType, kMtrrDefType);
  // IA32_MCG_CAP: read-only ("the effect of writing is undefined", SDM vol.
  // 3B, 15.3.1.1: dlsim raises #GP). No MCG_CTL (MCG_CAP bit 8 clear).
  msrs.add(MsrRange{kMcgCap, kMcgCap, "mca", [s](int, uint32_t) -> std::optional<uint64_t> { return s->mcgCap(); },
                    [](int, uint32_t, uint64_t) { return false; }, nullptr});
  // IA32_MCG_STATUS: RIPV, EIPV, MCIP (software may set or clear MCIP);
  // bits 63:3 reserved (SDM vol. 3B, 15.3.1.2).
  auto writeMcg = [s, inRange](int cpu, uint32_t, uint64_t v) {
    if (!inRange(cpu) || (v & ~7ull)) return false;
    s->cpus[static_cast<size_t>(cpu)].mcgStatus = v;
    return true;
  };
  msrs.add(MsrRange{kMcgStatus, kMcgStatus, "mca",
                    [s, inRange](int cpu, uint32_t) -> std::optional<uint64_t> {
                      if (!inRange(cpu)) return std::nullopt;
                      return s->cpus[static_cast<size_t>(cpu)].mcgStatus;
                    },
                    writeMcg, writeMcg});
  if (config.machineCheckBanks > 0)
    msrs.add(MsrRange{kMc0Ctl, kMc0Ctl + 4u * static_cast<uint32_t>(config.machineCheckBanks) - 1, "mca",
                      [s, inRange](int cpu, uint32_t msr) -> std::optional<uint64_t> {
                        if (!inRange(cpu)) return std::nullopt;
                        return readBank(*s, cpu, msr);
                      },
                      [s, inRange](int cpu, uint32_t msr, uint64_t v) {
                        return inRange(cpu) && writeBank(*s, cpu, msr, v, false);
                      },
                      [s, inRange](int cpu, uint32_t msr, uint64_t v) {
                        return inRange(cpu) && writeBank(*s, cpu, msr, v, true);
                      }});
  snapshots.add(
      "architectural MSRs", [s] { return save(*s); }, [s](std::span<const uint8_t> b) { restore(*s, b); });
  return [s](ResetKind kind) { platformReset(*s, kind); };
}

}  // namespace dlsim
