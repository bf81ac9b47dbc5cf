// The config space itself: attaching (and its collision error), absent
// functions, the access checks, and the snapshot state (round trip, a
// malformed or mismatched one refused).
#include "sim/pci/platform_pci_config_space.h"

#include <gtest/gtest.h>

#include "sim/bus.h"
#include "sim/errors.h"
#include "sim/snapshot/snapshot_registry.h"
#include "sim/tests/pci/fake_pci_function.h"

namespace dlsim {
namespace {

using test::configReply;
using test::FakePciFunction;

const AccessContext kPlatform = AccessContext::fromPlatform();

TEST(PlatformPciConfigSpace, AttachedFunctionIsFoundAndReached) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  FakePciFunction f("iommu");
  pci.attach({0, 0, 2}, &f);
  EXPECT_EQ(pci.functionAt({0, 0, 2}), &f);
  EXPECT_EQ(pci.functionAt({0, 0, 3}), nullptr);
  EXPECT_EQ(pci.read(kPlatform, {0, 0, 2}, 0x40, 2), configReply(0x40, 2));
  pci.write(kPlatform, {0, 0, 2}, 0x44, 4, 0xfeb00001);
  ASSERT_EQ(f.accesses.size(), 2u);
  EXPECT_EQ(f.accesses[1].value, 0xfeb00001u);
  EXPECT_EQ(f.accesses[1].cpu, AccessContext::kNoCpu);
}

TEST(PlatformPciConfigSpace, AbsentFunctionReadsAllOnes) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  EXPECT_EQ(pci.read(kPlatform, {0, 0x18, 0}, 0, 4), 0xffffffffu);
  EXPECT_EQ(pci.read(kPlatform, {0, 0x18, 0}, 2, 2), 0xffffu);
  EXPECT_EQ(pci.read(kPlatform, {0, 0x18, 0}, 3, 1), 0xffu);
  pci.write(kPlatform, {0, 0x18, 0}, 0, 4, 0);  // dropped
  EXPECT_EQ(bus.unclaimedCount(), 0u);
}

TEST(PlatformPciConfigSpace, AttachCollisionNamesBoth) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  FakePciFunction a("amd-nb-f3"), b("amd-dev");
  pci.attach({0, 0x18, 3}, &a);
  try {
    pci.attach({0, 0x18, 3}, &b);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("amd-nb-f3"), std::string::npos) << m;
    EXPECT_NE(m.find("amd-dev"), std::string::npos) << m;
    EXPECT_NE(m.find("00:18.3"), std::string::npos) << m;
  }
  EXPECT_EQ(pci.functionAt({0, 0x18, 3}), &a);
}

TEST(PlatformPciConfigSpace, AttachOutOfRangeOrNullIsRefused) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  FakePciFunction f("f");
  EXPECT_THROW(pci.attach({0, 32, 0}, &f), InputError);
  EXPECT_THROW(pci.attach({0, 0, 8}, &f), InputError);
  EXPECT_THROW(pci.attach({0, 0, 0}, nullptr), InternalError);
}

TEST(PlatformPciConfigSpace, AccessesTheMechanismsNeverMakeAreInternalErrors) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  EXPECT_THROW(pci.read(kPlatform, {0, 0, 0}, 2, 4), InternalError);     // crosses a dword
  EXPECT_THROW(pci.read(kPlatform, {0, 0, 0}, 0, 3), InternalError);     // no such size
  EXPECT_THROW(pci.read(kPlatform, {0, 0, 0}, 4096, 1), InternalError);  // past 4 KiB
  EXPECT_THROW(pci.write(kPlatform, {0, 32, 0}, 0, 4, 0), InternalError);
}

TEST(PlatformPciConfigSpace, CtorMapsCf8AndCfcOnly) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  ASSERT_EQ(bus.portRanges().size(), 2u);
  EXPECT_EQ(bus.portRanges()[0].base, 0xcf8);
  EXPECT_EQ(bus.portRanges()[0].count, 1u);
  EXPECT_EQ(bus.portRanges()[1].base, 0xcfc);
  EXPECT_EQ(bus.portRanges()[1].count, 4u);
  EXPECT_TRUE(bus.mmioWindows().empty());
}

TEST(PlatformPciConfigSpace, SnapshotRoundTripKeepsLatchSwitchPlacementAndFunctions) {
  Bus bus;
  PlatformPciConfigSpace pci(bus);
  FakePciFunction a("a"), b("bb");
  pci.attach({0, 0x18, 0}, &a);
  pci.attach({0, 0, 2}, &b);
  SnapshotRegistry reg;
  pci.addSnapshotParts(reg);
  EXPECT_EQ(reg.size(), 2u);  // "pci" and the ECAM window device

  pci.setCf8Extended(true);
  bus.portWrite(AccessContext::fromCpu(0), 0xcf8, 4, 0x8300c084);
  pci.setEcam(0xe0000000, 8);
  pci.write(kPlatform, {0, 0x18, 0}, 0, 4, 1);
  const SnapshotRegistry::Saved saved = reg.save();

  pci.setCf8Extended(false);
  bus.portWrite(AccessContext::fromCpu(0), 0xcf8, 4, 0);
  pci.setEcam(std::nullopt);
  pci.write(kPlatform, {0, 0x18, 0}, 0, 4, 2);
  pci.write(kPlatform, {0, 0, 2}, 0, 4, 2);
  reg.restore(saved);

  EXPECT_TRUE(pci.cf8Extended());
  EXPECT_EQ(pci.configAddress(), 0x8300c084u);
  EXPECT_EQ(pci.ecamBase(), std::optional<uint64_t>(0xe0000000));
  EXPECT_EQ(pci.ecamBusCount(), 8u);
  EXPECT_EQ(a.writes, 1u);
  EXPECT_EQ(b.writes, 0u);
  EXPECT_EQ(a.restores, 1u);
  EXPECT_EQ(b.restores, 1u);
}

TEST(PlatformPciConfigSpace, SnapshotOfOtherFunctionsIsRefused) {
  Bus bus1, bus2, bus3;
  PlatformPciConfigSpace one(bus1), two(bus2);
  FakePciFunction a("a"), b("b");
  one.attach({0, 0x18, 0}, &a);
  two.attach({0, 0x18, 1}, &b);
  const std::vector<uint8_t> s = one.saveState();
  try {
    two.restoreState(s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("00:18.1"), std::string::npos) << e.what();
  }
  PlatformPciConfigSpace three(bus3);
  EXPECT_THROW(three.restoreState(s), InputError);  // one function saved, none attached
  std::vector<uint8_t> cut(s.begin(), s.end() - 1);
  EXPECT_THROW(one.restoreState(cut), InputError);
  EXPECT_EQ(b.restores, 0u);
}

}  // namespace
}  // namespace dlsim
