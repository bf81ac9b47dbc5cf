#include "txt_model/platform/txt_vtd_link.h"

#include "sim/bus.h"
#include "sim/hex.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/vtd/vtd_registers.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {

namespace {

// Reads of PMEN SINIT spends waiting for PRS (a unit's status lags at most
// 1000 reads: vtd_platform's status_lag_reads).
constexpr unsigned kPrsPolls = 100000;

struct Regs {
  Bus& bus;
  uint64_t base;
  AccessContext ctx = AccessContext::fromPlatform();
  uint64_t read(uint64_t off, unsigned size) { return bus.mmioRead(ctx, base + off, size); }
  void write(uint64_t off, unsigned size, uint64_t v) { bus.mmioWrite(ctx, base + off, size, v); }
  bool pollPrs(bool set) {
    for (unsigned i = 0; i < kPrsPolls; ++i)
      if (((read(vtd::kPmen, 4) & vtd::kPmenPrs) != 0) == set) return true;
    return false;
  }
};

// The programmed [base, limit | the bits below the implemented ones] (`mask`:
// what all ones read back as) covers [want, want + size).
bool covers(uint64_t base, uint64_t limit, uint64_t mask, uint64_t want, uint64_t size) {
  if (mask == 0) return false;
  const uint64_t below = (mask & (~mask + 1)) - 1;
  return base <= want && base <= limit && (limit | below) >= want + size - 1;
}

}  // namespace

void linkPmrcLockToVtdUnits(TxtChipset& chipset, Bus& bus) {
  chipset.setPmrcListener([&bus](bool locked) {
    for (const MmioWindow& w : bus.mmioWindows())
      if (auto* unit = dynamic_cast<VtdUnit*>(w.device)) unit->setPmrLocked(locked);
  });
}

PmrUnitResult BusPmrProgrammer::program(uint64_t registerBase, const PmrRanges& r) {
  PmrUnitResult res;
  res.registerBase = registerBase;
  if (!bus_.findMmio(registerBase)) {
    res.detail = "nothing decodes the register base";
    return res;
  }
  Regs u{bus_, registerBase};
  const uint64_t cap = u.read(vtd::kCap, 8);
  const bool plmr = (cap & vtd::kCapPlmr) != 0, phmr = (cap & vtd::kCapPhmr) != 0;
  if ((r.lowSize && !plmr) || (r.highSize && !phmr)) {
    res.detail = "CAP " + hex(cap) + " lacks the " + std::string(r.lowSize && !plmr ? "PLMR" : "PHMR") +
                 " the PMRs need";
    return res;
  }
  // The region registers change only while the regions are off (PMEN_REG).
  if (u.read(vtd::kPmen, 4) & vtd::kPmenEpm) {
    u.write(vtd::kPmen, 4, 0);
    if (!u.pollPrs(false)) {
      res.detail = "PMEN.PRS stayed set after EPM was cleared";
      return res;
    }
  }
  // Alignment: the bits that read back after all ones are written.
  uint64_t lowMask = 0, highMask = 0;
  if (plmr) {
    u.write(vtd::kPlmbase, 4, 0xFFFFFFFF);
    lowMask = u.read(vtd::kPlmbase, 4);
    // Off: base above limit (PLMLIMIT_REG).
    const uint64_t base = r.lowSize ? r.lowBase : lowMask, limit = r.lowSize ? r.lowBase + r.lowSize - 1 : 0;
    u.write(vtd::kPlmbase, 4, base);
    u.write(vtd::kPlmlimit, 4, limit);
  }
  if (phmr) {
    u.write(vtd::kPhmbase, 8, ~0ull);
    highMask = u.read(vtd::kPhmbase, 8);
    const uint64_t base = r.highSize ? r.highBase : highMask, limit = r.highSize ? r.highBase + r.highSize - 1 : 0;
    u.write(vtd::kPhmbase, 8, base);
    u.write(vtd::kPhmlimit, 8, limit);
  }
  u.write(vtd::kPmen, 4, vtd::kPmenEpm);
  const bool on = u.pollPrs(true);
  std::string wrong;
  if (r.lowSize) {
    const uint64_t b = u.read(vtd::kPlmbase, 4), l = u.read(vtd::kPlmlimit, 4);
    if (!covers(b, l, lowMask, r.lowBase, r.lowSize))
      wrong += "PLMBASE " + hex(b) + " PLMLIMIT " + hex(l) + " do not cover [" + hex(r.lowBase) + ", " +
               hex(r.lowBase + r.lowSize) + ")";
  }
  if (r.highSize) {
    const uint64_t b = u.read(vtd::kPhmbase, 8), l = u.read(vtd::kPhmlimit, 8);
    if (!covers(b, l, highMask, r.highBase, r.highSize))
      wrong += std::string(wrong.empty() ? "" : "; ") + "PHMBASE " + hex(b) + " PHMLIMIT " + hex(l) +
               " do not cover [" + hex(r.highBase) + ", " + hex(r.highBase + r.highSize) + ")";
  }
  if (!on) wrong += std::string(wrong.empty() ? "" : "; ") + "PMEN.PRS never set";
  if (!wrong.empty() && (chipset_.readSlot(TxtSpace::Public, reg::kSts) & reg::sts::kPmrcLock))
    wrong += " (TXT.STS.PMRC_LOCK is set: the region registers are read-only)";
  res.applied = wrong.empty();
  res.detail = wrong;
  return res;
}

}  // namespace dlsim::txt
