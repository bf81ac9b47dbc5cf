// The ECAM window: the offset decode (bus << 20 | device << 15 | function <<
// 12 | register), accesses of each size, the 8-byte split, placing, moving
// and removing the window, and the bus-count limit.
#include <gtest/gtest.h>

#include "sim/bus.h"
#include "sim/errors.h"
#include "sim/pci/platform_pci_config_space.h"
#include "sim/tests/pci/fake_pci_function.h"

namespace dlsim {
namespace {

using test::ConfigAccess;
using test::configReply;
using test::FakePciFunction;

const AccessContext kCpu0 = AccessContext::fromCpu(0);
constexpr uint64_t kBase = 0xe0000000;

struct Rig {
  Bus bus;
  PlatformPciConfigSpace pci{bus};
  FakePciFunction nb{"nb-f0"};          // 00:18.0
  FakePciFunction iommu{"iommu", 5};    // 00:00.2
  FakePciFunction far{"far", 9};        // 03:02.1
  Rig() {
    pci.attach({0, 0x18, 0}, &nb);
    pci.attach({0, 0, 2}, &iommu);
    pci.attach({3, 2, 1}, &far);
  }
};

TEST(EcamWindow, OffWhenBuilt) {
  Rig r;
  EXPECT_FALSE(r.pci.ecamBase().has_value());
  EXPECT_EQ(r.bus.findMmio(kBase), nullptr);
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc0384, 4), 0xffffffffu);  // unclaimed: no window
  EXPECT_EQ(r.bus.unclaimedCount(), 1u);
}

TEST(EcamWindow, DecodesBusDeviceFunctionRegister) {
  Rig r;
  r.pci.setEcam(kBase);
  // 00:18.0 register 0x384: 0x18 << 15 = 0xc0000.
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc0384, 4), configReply(0x384, 4));
  // 00:00.2 register 0x44: 2 << 12 = 0x2000.
  r.bus.mmioWrite(kCpu0, kBase + 0x2044, 4, 0xfeb00001);
  // 03:02.1 register 0xffc: 3 << 20 | 2 << 15 | 1 << 12 = 0x311000.
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0x311ffc, 4), configReply(0xffc, 4, 9));
  EXPECT_EQ(r.nb.accesses, (std::vector<ConfigAccess>{{false, 0x384, 4, configReply(0x384, 4), 0}}));
  EXPECT_EQ(r.iommu.accesses, (std::vector<ConfigAccess>{{true, 0x44, 4, 0xfeb00001, 0}}));
  EXPECT_EQ(r.far.accesses, (std::vector<ConfigAccess>{{false, 0xffc, 4, configReply(0xffc, 4, 9), 0}}));
}

TEST(EcamWindow, ByteAndWordAccessesInsideADword) {
  Rig r;
  r.pci.setEcam(kBase);
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc0385, 1), configReply(0x385, 1));
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc0386, 2), configReply(0x386, 2));
  r.bus.mmioWrite(kCpu0, kBase + 0xc0384, 1, 0xfe);
  r.bus.mmioWrite(kCpu0, kBase + 0xc0386, 2, 0x1234);
  const std::vector<ConfigAccess> want = {{false, 0x385, 1, configReply(0x385, 1), 0},
                                          {false, 0x386, 2, configReply(0x386, 2), 0},
                                          {true, 0x384, 1, 0xfe, 0},
                                          {true, 0x386, 2, 0x1234, 0}};
  EXPECT_EQ(r.nb.accesses, want);
}

TEST(EcamWindow, QwordIsTwoDwordsLowFirst) {
  Rig r;
  r.pci.setEcam(kBase);
  const uint64_t v = r.bus.mmioRead(kCpu0, kBase + 0xc0380, 8);
  EXPECT_EQ(v, uint64_t{configReply(0x384, 4)} << 32 | configReply(0x380, 4));
  r.bus.mmioWrite(kCpu0, kBase + 0xc0388, 8, 0x1122334455667788ull);
  const std::vector<ConfigAccess> want = {{false, 0x380, 4, configReply(0x380, 4), 0},
                                          {false, 0x384, 4, configReply(0x384, 4), 0},
                                          {true, 0x388, 4, 0x55667788, 0},
                                          {true, 0x38c, 4, 0x11223344, 0}};
  EXPECT_EQ(r.nb.accesses, want);
}

TEST(EcamWindow, AccessCrossingADwordIsSplit) {
  Rig r;
  r.pci.setEcam(kBase);
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc0386, 4), configReply(0x386, 4));  // the bytes line up
  const std::vector<ConfigAccess> want = {{false, 0x386, 2, configReply(0x386, 2), 0},
                                          {false, 0x388, 2, configReply(0x388, 2), 0}};
  EXPECT_EQ(r.nb.accesses, want);
}

TEST(EcamWindow, AbsentFunctionReadsAllOnesAndIsNotUnclaimed) {
  Rig r;
  r.pci.setEcam(kBase);
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc1000, 4), 0xffffffffu);  // 00:18.1
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc1000, 8), ~0ull);
  r.bus.mmioWrite(kCpu0, kBase + 0xc1000, 4, 0);
  EXPECT_EQ(r.bus.unclaimedCount(), 0u);
}

TEST(EcamWindow, MovesAndIsRemoved) {
  Rig r;
  r.pci.setEcam(kBase);
  r.pci.setEcam(0xf0000000, 64);
  EXPECT_EQ(r.pci.ecamBase(), std::optional<uint64_t>(0xf0000000));
  EXPECT_EQ(r.pci.ecamBusCount(), 64u);
  EXPECT_EQ(r.bus.findMmio(kBase), nullptr);
  ASSERT_NE(r.bus.findMmio(0xf0000000), nullptr);
  EXPECT_EQ(r.bus.findMmio(0xf0000000)->size, 64ull << 20);
  EXPECT_EQ(r.bus.mmioRead(kCpu0, 0xf0000000 + 0xc0384, 4), configReply(0x384, 4));
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0xc0384, 4), 0xffffffffu);  // the old place: nothing
  r.pci.setEcam(std::nullopt);
  EXPECT_FALSE(r.pci.ecamBase().has_value());
  EXPECT_EQ(r.bus.findMmio(0xf0000000), nullptr);
  EXPECT_EQ(r.nb.accesses.size(), 1u);
  r.pci.setEcam(std::nullopt);  // removing twice is fine
}

TEST(EcamWindow, BusesPastTheBusCountAreOutsideTheWindow) {
  Rig r;
  r.pci.setEcam(kBase, 2);  // buses 0 and 1
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0x311ffc, 4), 0xffffffffu);  // bus 3
  EXPECT_TRUE(r.far.accesses.empty());
  EXPECT_EQ(r.bus.unclaimedCount(), 1u);  // not the window's
  r.pci.setEcam(kBase, 4);
  EXPECT_EQ(r.bus.mmioRead(kCpu0, kBase + 0x311ffc, 4), configReply(0xffc, 4, 9));
}

TEST(EcamWindow, BadPlacementIsAModelBug) {
  Rig r;
  EXPECT_THROW(r.pci.setEcam(kBase + 0x1000), InternalError);
  EXPECT_THROW(r.pci.setEcam(kBase, 0), InternalError);
  EXPECT_THROW(r.pci.setEcam(kBase, 257), InternalError);
  EXPECT_THROW(r.pci.setEcam(0xfffffffffff00000ull, 2), InternalError);
  EXPECT_FALSE(r.pci.ecamBase().has_value());
}

TEST(EcamWindow, OverlapWithAnotherWindowNamesBothAndLeavesEcamOff) {
  Rig r;
  struct Other : Device {
    std::string name() const override { return "tpm"; }
    uint64_t read(const AccessContext&, uint64_t, unsigned) override { return 0; }
    void write(const AccessContext&, uint64_t, unsigned, uint64_t) override {}
  } other;
  r.bus.mapMmio(0xfed40000, 0x5000, &other);
  r.pci.setEcam(kBase);
  try {
    r.pci.setEcam(0xfe000000, 16);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("pci-ecam"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tpm"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(r.pci.ecamBase().has_value());
  EXPECT_EQ(r.bus.findMmio(kBase), nullptr);
}

}  // namespace
}  // namespace dlsim
