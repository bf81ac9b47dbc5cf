// The AMD DMA parts installed together on a bus, a configuration space and
// a DMA port, driven only as software reaches them (config accesses, MMIO
// through the bus): SKL's whole two-pass sequence on a family-17h platform
// with an IOMMU, the legacy-DEV platform without one, reset, snapshots.
#include <gtest/gtest.h>

#include "sim/bus.h"
#include "sim/errors.h"
#include "sim/guest_memory.h"
#include "sim/snapshot/snapshot_registry.h"
#include "svm_model/dev/amd_dma_hardware.h"
#include "svm_model/northbridge/tests/map_config_space.h"

namespace dlsim::svm {
namespace {

using testing::MapConfigSpace;

constexpr uint64_t kBase = 0xfeb80000;
constexpr uint64_t kSlb = 0x2000000;
constexpr PciAddress kIommuPci{0, 0, 2};
constexpr PciAddress kNbF0{0, 0x18, 0};

class AmdDmaHardwareTest : public ::testing::Test {
 protected:
  void SetUp() override { mem.addRam(0, 0x8000000, "low"); }
  AmdDmaOptions zen() {
    AmdDmaOptions o;
    o.iommu = AmdIommuOptions{};
    return o;
  }
  uint64_t mmio(uint64_t off) { return bus.mmioRead(0, kBase + off, 8); }
  void setMmio(uint64_t off, uint64_t v) { bus.mmioWrite(0, kBase + off, 8, v); }
  // SKL's iommu_load_device_table, every access through the bus; the
  // command array sits 16-byte aligned in the SLB, commands where the
  // IOMMU reads them.
  void sklPass() {
    const uint64_t table = kSlb + 0x2000, cmds = kSlb + 0x4040, log = kSlb + 0x5000, done = kSlb + 0x6000;
    for (uint64_t id = 0; id < 256; ++id) {
      const uint64_t q0 = 0x3;  // V | TV
      ASSERT_TRUE(mem.write(table + id * 32, &q0, 8));
    }
    ASSERT_EQ(config.read(AccessContext::fromCpu(0), kIommuPci, 0x44, 4) & 1, 1u);
    setMmio(0x18, mmio(0x18) & ~0x7ffffffffffull);
    setMmio(0x00, table | 1);
    setMmio(0x08, (cmds & ~0xfffull) | 9ull << 56);
    setMmio(0x2008, cmds & 0xff0);
    setMmio(0x2000, cmds & 0xff0);
    setMmio(0x10, log | 8ull << 56);
    setMmio(0x2010, 0);
    setMmio(0x2018, 0);
    setMmio(0x2020, mmio(0x2020) & ~2ull);
    setMmio(0x18, mmio(0x18) | 1 << 12 | 1 << 2);
    setMmio(0x18, mmio(0x18) | 1);
    const uint32_t invalidateAll[4] = {0, 8u << 28, 0, 0};
    const uint32_t wait[4] = {static_cast<uint32_t>(done) | 1, 1u << 28, 0x656e6f64, 0};
    ASSERT_TRUE(mem.write(cmds, invalidateAll, 16));
    ASSERT_TRUE(mem.write(cmds + 16, wait, 16));
    setMmio(0x2008, mmio(0x2008) + 16);
    setMmio(0x2008, mmio(0x2008) + 16);
  }
  uint32_t doneWord() {
    uint32_t v = 0;
    EXPECT_TRUE(mem.read(kSlb + 0x6000, &v, 4));
    return v;
  }

  GuestMemory mem;
  DmaPort port{mem};
  Bus bus;
  MapConfigSpace config;
  SnapshotRegistry snapshots;
};

TEST_F(AmdDmaHardwareTest, SklsTwoPassesOnAZenPlatform) {
  AmdDmaHardware hw(zen(), port);
  hw.install(config, bus, snapshots);
  EXPECT_EQ(mmio(0x30), 1u << 6);  // registers mapped where firmware enabled them
  hw.slDev().protectSlb(kSlb);     // SKINIT
  sklPass();
  EXPECT_NE(doneWord(), 0x656e6f64u);
  EXPECT_EQ(mmio(0x2020) & 0x12, 0x2u);  // EventLogInt, CmdBufRun clear
  std::vector<uint8_t> b(4, 1);
  EXPECT_EQ(port.write(0x0018, 0x100000, b.data(), 4), DmaResult::kBlocked);  // DTE unreadable
  // SKL-A: MEMPROT_EN := 0 on every node whose VID/DID is not all ones.
  ASSERT_NE(config.read(AccessContext::fromCpu(0), kNbF0, 0, 4), 0xffffffffu);
  EXPECT_EQ(config.read(AccessContext::fromCpu(0), {0, 0x19, 0}, 0, 4), 0xffffffffu);
  config.write(AccessContext::fromCpu(0), kNbF0, 0x384, 4, 0);
  EXPECT_FALSE(hw.slDev().active());
  sklPass();
  EXPECT_EQ(doneWord(), 0x656e6f64u);
  EXPECT_EQ(port.write(0x0018, 0x100000, b.data(), 4), DmaResult::kBlocked);
  EXPECT_EQ(port.blocked().back().protection, "amd-iommu");
  EXPECT_EQ(port.write(0x0018, kSlb, b.data(), 4), DmaResult::kBlocked);
}

TEST_F(AmdDmaHardwareTest, MovingTheBaseRemapsTheRegisters) {
  AmdDmaHardware hw(zen(), port);
  hw.install(config, bus, snapshots);
  const AccessContext cpu = AccessContext::fromCpu(0);
  config.write(cpu, kIommuPci, 0x44, 4, 0xfd200001u);
  EXPECT_EQ(bus.mmioRead(0, 0xfd200030, 8), 1u << 6);
  EXPECT_EQ(bus.findMmio(kBase), nullptr);
  config.write(cpu, kIommuPci, 0x44, 4, 0xfd200000u);  // Enable off
  EXPECT_EQ(bus.findMmio(0xfd200000), nullptr);
}

TEST_F(AmdDmaHardwareTest, LegacyDevPlatformWithoutIommu) {
  AmdDmaOptions o;
  o.northbridge.release = SlbRelease::kLegacyDev;
  o.northbridge.nodes = 2;
  AmdDmaHardware hw(o, port);
  hw.install(config, bus, snapshots);
  EXPECT_EQ(config.functions.size(), 4u);
  EXPECT_EQ(hw.iommu(), nullptr);
  EXPECT_TRUE(hw.ivrs({}).empty());
  hw.slDev().protectSlb(kSlb);
  std::vector<uint8_t> b(4, 1);
  EXPECT_EQ(port.write(0x0018, kSlb + 0xfffc, b.data(), 4), DmaResult::kBlocked);
  // SKL-A's loop: every node 0x18 + n with the DEV capability.
  const AccessContext cpu = AccessContext::fromCpu(0);
  unsigned released = 0;
  for (uint8_t dev = 0x18; dev < 0x20; ++dev) {
    const PciAddress f3{0, dev, 3};
    if ((config.read(cpu, f3, 0xf0, 4) & 0xff) != 0x0f) break;  // no DEV capability: done
    config.write(cpu, f3, 0xf4, 4, 4u << 8);
    config.write(cpu, f3, 0xf8, 4, config.read(cpu, f3, 0xf8, 4) & ~0x20u);
    ++released;
  }
  EXPECT_EQ(released, 2u);
  EXPECT_FALSE(hw.slDev().active());
  EXPECT_EQ(port.write(0x0018, kSlb + 0xfffc, b.data(), 4), DmaResult::kDone);
}

TEST_F(AmdDmaHardwareTest, ResetAndSnapshots) {
  AmdDmaHardware hw(zen(), port);
  hw.install(config, bus, snapshots);
  hw.slDev().protectSlb(kSlb);
  setMmio(0x00, 0x300001);
  const SnapshotRegistry::Saved saved = snapshots.save();
  hw.reset();
  EXPECT_FALSE(hw.slDev().active());
  EXPECT_EQ(mmio(0x00), 0u);
  EXPECT_EQ(config.read(AccessContext::fromCpu(0), kIommuPci, 0x44, 4), kBase | 1);  // firmware again
  snapshots.restore(saved);
  EXPECT_TRUE(hw.slDev().active());
  EXPECT_EQ(mmio(0x00), 0x300001u);
  const std::vector<uint8_t> ivrs = hw.ivrs({});
  ASSERT_GE(ivrs.size(), 64u);
  uint64_t base = 0;
  for (int i = 0; i < 8; ++i) base |= static_cast<uint64_t>(ivrs[56 + i]) << (8 * i);
  EXPECT_EQ(base, kBase);
}

TEST_F(AmdDmaHardwareTest, BadOptionsAreInputErrors) {
  AmdDmaOptions o = zen();
  o.iommu->mmioBase = kBase + 0x1000;
  EXPECT_THROW(AmdDmaHardware(o, port), InputError);
  o = zen();
  o.iommu->firstDevice = 0x20;
  o.iommu->lastDevice = 0x10;
  EXPECT_THROW(AmdDmaHardware(o, port), InputError);
  o = zen();
  o.northbridge.nodes = 0;
  EXPECT_THROW(AmdDmaHardware(o, port), InputError);
}

}  // namespace
}  // namespace dlsim::svm

namespace dlsim::svm {
namespace {

TEST_F(AmdDmaHardwareTest, ReleaseHookSaysWhetherTheIommuTranslates) {
  AmdDmaHardware hw(zen(), port);
  hw.install(config, bus, snapshots);
  std::vector<SlDevRelease> seen;
  hw.onSlDevRelease([&](const SlDevRelease& r) { seen.push_back(r); });
  const AccessContext cpu = AccessContext::fromCpu(0);
  config.write(cpu, kNbF0, 0x384, 4, 0);  // nothing armed: no release
  EXPECT_TRUE(seen.empty());
  hw.slDev().protectSlb(kSlb);
  config.write(cpu, kNbF0, 0x384, 4, 0);  // released with the IOMMU off
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].lastNode);
  EXPECT_EQ(seen[0].slbBase, kSlb);
  EXPECT_TRUE(seen[0].iommuPresent);
  EXPECT_FALSE(seen[0].iommuTranslating);
  hw.slDev().protectSlb(kSlb);
  setMmio(0x18, 1);  // IommuEn
  config.write(cpu, kNbF0, 0x384, 4, 0);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[1].iommuTranslating);
}

}  // namespace
}  // namespace dlsim::svm
