// DMA against the VT-d PMRs and TXT DPR through the platform's DMA port:
// blocked inside, landing outside, at the ranges' edges, with the requester
// and the range named in the record.
#include <gtest/gtest.h>

#include "sim/dma_port.h"
#include "sim/guest_memory.h"
#include "txt_model/vtd/txt_dpr_protection.h"
#include "txt_model/vtd/vtd_pmr_protection.h"
#include "txt_model/vtd/vtd_registers.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {
namespace {

using namespace vtd;

const AccessContext kCpu = AccessContext::fromCpu(0);

class DmaProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mem.addRam(0, 0x80000000, "low");
    mem.addRam(0x100000000ull, 0x40000000, "high");
  }
  DmaResult write(uint32_t rid, uint64_t gpa, size_t len = 1) {
    std::vector<uint8_t> b(len, 0xab);
    return port.write(rid, gpa, b.data(), len);
  }
  GuestMemory mem;
  DmaPort port{mem};
};

// PLMR [2 MiB, 16 MiB), PHMR [4 GiB, 5 GiB), enabled.
void programPmrs(VtdUnit& u) {
  u.write(kCpu, kPlmbase, 4, 0x00200000);
  u.write(kCpu, kPlmlimit, 4, 0x00e00000);
  u.write(kCpu, kPhmbase, 8, 0x100000000ull);
  u.write(kCpu, kPhmlimit, 8, 0x13fe00000ull);
  u.write(kCpu, kPmen, 4, kPmenEpm);
}

TEST_F(DmaProtectionTest, PmrsBlockInsideAndLetEverythingElseLand) {
  VtdUnit unit({});
  VtdPmrProtection pmr(unit);
  port.addProtection(&pmr);
  EXPECT_EQ(write(0x100, 0x200000), DmaResult::kDone);  // not enabled yet
  programPmrs(unit);
  EXPECT_EQ(write(0x100, 0x1fffff), DmaResult::kDone);     // last byte below
  EXPECT_EQ(write(0x100, 0x1fffff, 2), DmaResult::kBlocked);  // straddles the base
  EXPECT_EQ(write(0x100, 0x200000), DmaResult::kBlocked);
  EXPECT_EQ(write(0x100, 0xffffff), DmaResult::kBlocked);  // the limit's last byte
  EXPECT_EQ(write(0x100, 0x1000000), DmaResult::kDone);
  EXPECT_EQ(write(0x100, 0xffffffffull), DmaResult::kNotRam);
  EXPECT_EQ(write(0x100, 0x100000000ull), DmaResult::kBlocked);
  EXPECT_EQ(write(0x100, 0x13fffffffull), DmaResult::kBlocked);
  EXPECT_EQ(write(0x100, 0x140000000ull, 8), DmaResult::kNotRam);  // past the high RAM: not blocked
  uint8_t b = 0;
  EXPECT_EQ(port.read(0x100, 0x13ffffff0ull, &b, 1), DmaResult::kBlocked);
  EXPECT_EQ(b, 0xff);
  ASSERT_GE(port.blocked().size(), 3u);
  const BlockedDma& first = port.blocked()[0];
  EXPECT_EQ(first.requesterId, 0x100u);
  EXPECT_EQ(first.gpa, 0x1fffffu);
  EXPECT_EQ(first.protection, "vtd-pmr");
  ASSERT_TRUE(first.region);
  EXPECT_EQ(first.region->name, "PLMR");
  EXPECT_EQ(first.region->base, 0x200000u);
  EXPECT_EQ(first.region->size, 0xe00000u);
  EXPECT_EQ(port.blocked().back().region->name, "PHMR");
  // Disabled again (PRS clear): everything lands.
  unit.write(kCpu, kPmen, 4, 0);
  EXPECT_EQ(write(0x100, 0x200000), DmaResult::kDone);
}

TEST_F(DmaProtectionTest, PmrsGuardOnlyTheUnitsScopeAndFollowPrs) {
  VtdUnitConfig c;
  c.scope = {0x0010};
  c.statusLagReads = 1;
  VtdUnit unit(c);
  VtdPmrProtection pmr(unit);
  port.addProtection(&pmr);
  programPmrs(unit);
  EXPECT_EQ(write(0x10, 0x200000), DmaResult::kDone);  // PRS not shown yet
  EXPECT_EQ(unit.read(kCpu, kPmen, 4), 0x80000000u);  // the stale read: done now
  EXPECT_EQ(write(0x10, 0x200000), DmaResult::kBlocked);
  EXPECT_EQ(write(0x18, 0x200000), DmaResult::kDone);  // another unit's device
}

TEST_F(DmaProtectionTest, DprDecodesTheTxtRegister) {
  // The txt-stat dump in Intel SecL-DC's product guide: DPR 0x70000051.
  const TxtDpr d = decodeTxtDpr(0x70000051);
  EXPECT_TRUE(d.lock);
  EXPECT_EQ(d.top, 0x70000000u);
  EXPECT_EQ(d.size, 5u << 20);
  EXPECT_EQ(d.base(), 0x6fb00000u);
  EXPECT_EQ(decodeTxtDpr(0x70000000).size, 0u);
}

TEST_F(DmaProtectionTest, DprBlocksItsRangeAndNamesTheHeapAndSinitInIt) {
  TxtDmaLayout layout{0x70000051, 0x6ff00000, 0x100000, 0x6fec0000, 0x40000};
  TxtDprProtection dpr([&layout] { return layout; });
  port.addProtection(&dpr);
  EXPECT_EQ(write(0x200, 0x6fafffff), DmaResult::kDone);
  EXPECT_EQ(write(0x200, 0x6fb00000), DmaResult::kBlocked);
  EXPECT_EQ(write(0x200, 0x6fec0000, 4), DmaResult::kBlocked);
  EXPECT_EQ(write(0x200, 0x6fffffff), DmaResult::kBlocked);
  EXPECT_EQ(write(0x200, 0x70000000), DmaResult::kDone);
  ASSERT_EQ(port.blocked().size(), 3u);
  EXPECT_EQ(port.blocked()[0].protection, "txt-dpr");
  EXPECT_EQ(port.blocked()[0].region->name, "DPR");
  EXPECT_EQ(port.blocked()[0].region->base, 0x6fb00000u);
  EXPECT_EQ(port.blocked()[0].region->size, 5u << 20);
  EXPECT_EQ(port.blocked()[1].region->name, "SINIT (in DPR)");
  EXPECT_EQ(port.blocked()[2].region->name, "TXT heap (in DPR)");
  EXPECT_EQ(port.blocked()[2].region->base, 0x6ff00000u);
  EXPECT_EQ(port.blocked()[2].requesterId, 0x200u);
  // DPR size 0 protects nothing; a heap outside DPR is as open as on hardware.
  layout.dpr = 0x70000001;
  EXPECT_EQ(write(0x200, 0x6ff00000), DmaResult::kDone);
  layout = {0x60000031, 0x6ff00000, 0x100000, 0, 0};
  EXPECT_EQ(write(0x200, 0x6ff00000), DmaResult::kDone);
  EXPECT_EQ(write(0x200, 0x5fd00000), DmaResult::kBlocked);
}

}  // namespace
}  // namespace dlsim::txt
