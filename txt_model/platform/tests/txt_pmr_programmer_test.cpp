// BusPmrProgrammer (txt_vtd_link.h): SINIT's PMR programming of one VT-d
// unit through the bus. Expected regions from the VT-d spec's PMR register
// semantics: [PLMBASE, PLMLIMIT | the bits below the alignment] for a
// requested [base, base + size) with 2 MiB alignment; a size-0 range leaves
// the region off; PMR writes while the regions are on would be a violation
// the unit records, so none may appear.
#include <gtest/gtest.h>

#include "sim/bus.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/platform/txt_vtd_link.h"
#include "txt_model/vtd/vtd_registers.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {
namespace {

constexpr uint64_t kBase = 0xfed90000;

struct Rig {
  Bus bus;
  VtdUnit unit;
  TxtChipset chipset;
  BusPmrProgrammer programmer{bus, chipset};
  explicit Rig(VtdUnitConfig c = {}) : unit(c), chipset(config(), [](int) {}) {
    bus.mapMmio(kBase, vtd::kRegisterPage, &unit);
    linkPmrcLockToVtdUnits(chipset, bus);
  }
  static TxtChipsetConfig config() {
    TxtChipsetConfig c;
    c.startAfterSenter = true;  // private space open, as while SINIT runs
    return c;
  }
  void write(uint64_t off, unsigned size, uint64_t v) { bus.mmioWrite(AccessContext::fromPlatform(), kBase + off, size, v); }
};

const PmrRanges kTboot{0, 0x400000, 0x100000000ull, 0x40000000};  // low [0, 4 MiB), high [4 GiB, 5 GiB)

TEST(PmrProgrammer, ProgramsBothRegionsAndEnablesThem) {
  Rig r;
  const PmrUnitResult res = r.programmer.program(kBase, kTboot);
  EXPECT_TRUE(res.applied) << res.detail;
  EXPECT_EQ(res.registerBase, kBase);
  ASSERT_TRUE(r.unit.pmrEnabled());
  ASSERT_TRUE(r.unit.lowRegion());
  EXPECT_EQ(r.unit.lowRegion()->base, 0u);
  EXPECT_EQ(r.unit.lowRegion()->limit, 0x3FFFFFu);
  ASSERT_TRUE(r.unit.highRegion());
  EXPECT_EQ(r.unit.highRegion()->base, 0x100000000ull);
  EXPECT_EQ(r.unit.highRegion()->limit, 0x13FFFFFFFull);
  EXPECT_TRUE(r.unit.violations().empty()) << r.unit.violations()[0];
}

TEST(PmrProgrammer, ASizeZeroRangeLeavesItsRegionOff) {
  Rig r;
  const PmrUnitResult res = r.programmer.program(kBase, PmrRanges{0, 0x200000, 0, 0});
  EXPECT_TRUE(res.applied) << res.detail;
  ASSERT_TRUE(r.unit.lowRegion());
  EXPECT_EQ(r.unit.lowRegion()->limit, 0x1FFFFFu);
  EXPECT_FALSE(r.unit.highRegion());
}

TEST(PmrProgrammer, PollsAStatusThatLags) {
  VtdUnitConfig c;
  c.statusLagReads = 5;
  Rig r(c);
  const PmrUnitResult res = r.programmer.program(kBase, kTboot);
  EXPECT_TRUE(res.applied) << res.detail;
  EXPECT_TRUE(r.unit.violations().empty()) << r.unit.violations()[0];
}

TEST(PmrProgrammer, TurnsRegionsTheGuestEnabledOffBeforeReprogramming) {
  VtdUnitConfig c;
  c.statusLagReads = 2;
  Rig r(c);
  r.write(vtd::kPlmbase, 4, 0x800000);
  r.write(vtd::kPlmlimit, 4, 0x800000);
  r.write(vtd::kPmen, 4, vtd::kPmenEpm);
  for (int i = 0; i < 3; ++i) r.bus.mmioRead(AccessContext::fromPlatform(), kBase + vtd::kPmen, 4);
  ASSERT_TRUE(r.unit.pmrEnabled());
  const PmrUnitResult res = r.programmer.program(kBase, kTboot);
  EXPECT_TRUE(res.applied) << res.detail;
  EXPECT_EQ(r.unit.lowRegion()->base, 0u);
  EXPECT_TRUE(r.unit.violations().empty()) << r.unit.violations()[0];
}

TEST(PmrProgrammer, APmrcLockKeepsTheRegistersAndIsNamed) {
  Rig r;
  r.chipset.writeSlot(TxtSpace::Private, reg::kCmdLockPmrc, 1, 0xFF, AccessContext::fromPlatform());
  ASSERT_TRUE(r.unit.pmrLocked());
  const PmrUnitResult res = r.programmer.program(kBase, kTboot);
  EXPECT_FALSE(res.applied);
  EXPECT_NE(res.detail.find("PMRC_LOCK"), std::string::npos) << res.detail;
}

TEST(PmrProgrammer, NothingAtTheBaseOrNoPhmr) {
  Rig r;
  PmrUnitResult res = r.programmer.program(0xfed80000, kTboot);
  EXPECT_FALSE(res.applied);
  EXPECT_NE(res.detail.find("nothing decodes"), std::string::npos) << res.detail;
  VtdUnitConfig c;
  c.cap &= ~vtd::kCapPhmr;
  Rig low(c);
  res = low.programmer.program(kBase, kTboot);
  EXPECT_FALSE(res.applied);
  EXPECT_NE(res.detail.find("PHMR"), std::string::npos) << res.detail;
  EXPECT_FALSE(low.unit.pmrEnabled());  // nothing written
}

}  // namespace
}  // namespace dlsim::txt
