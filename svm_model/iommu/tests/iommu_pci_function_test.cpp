// The IOMMU's PCI function at 00:00.2: identity, the capability SKL and
// Linux find, the base registers' masks and the MMIO placement they drive.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "svm_model/iommu/iommu_pci_function.h"

namespace dlsim::svm {
namespace {

const AccessContext kCpu = AccessContext::fromCpu(0);

struct Placements {
  std::vector<std::optional<uint64_t>> seen;
  AmdIommuFunction::MmioPlacement callback() {
    return [this](std::optional<uint64_t> b) { seen.push_back(b); };
  }
};

TEST(IommuPciFunctionTest, IdentifiesAsAnIommuWithItsCapability) {
  Placements p;
  AmdIommuFunction f(0x1481, p.callback());
  EXPECT_EQ(AmdIommuFunction::kAddress.bdf(), 0x0002u);
  EXPECT_EQ(f.readConfig(kCpu, 0, 4), 0x14811022u);
  EXPECT_EQ(f.readConfig(kCpu, 0x08, 4) >> 8, 0x080600u);
  EXPECT_EQ(f.readConfig(kCpu, 0x06, 2) & 0x10u, 0x10u);
  const uint32_t capPtr = f.readConfig(kCpu, 0x34, 1);
  ASSERT_EQ(capPtr, 0x40u);
  const uint32_t header = f.readConfig(kCpu, static_cast<uint16_t>(capPtr), 4);
  EXPECT_EQ(header & 0xff, 0x0fu);         // capability id
  EXPECT_EQ(header >> 8 & 0xff, 0u);       // last in the list
  EXPECT_EQ(header >> 16 & 0x7, 3u);       // CapType: IOMMU
  EXPECT_EQ(header >> 19 & 0x1f, 1u);      // CapRev
  EXPECT_EQ(header >> 27 & 1, 1u);         // EFRSup
  EXPECT_TRUE(p.seen.empty());
  EXPECT_FALSE(f.mmioBase());
}

TEST(IommuPciFunctionTest, BaseRegistersPlaceTheRegisterBlockWhileEnabled) {
  Placements p;
  AmdIommuFunction f(0x1481, p.callback());
  f.writeConfig(kCpu, 0x44, 4, 0xfeb83fffu);  // bits 13:1 are reserved
  EXPECT_EQ(f.readConfig(kCpu, 0x44, 4), 0xfeb80001u);
  ASSERT_EQ(p.seen.size(), 1u);
  EXPECT_EQ(p.seen[0], 0xfeb80000u);
  f.writeConfig(kCpu, 0x48, 4, 0x1);
  EXPECT_EQ(f.mmioBase(), 0x1feb80000ull);
  EXPECT_EQ(p.seen.back(), 0x1feb80000ull);
  f.writeConfig(kCpu, 0x44, 1, 0x00);  // Enable off by a byte write
  EXPECT_FALSE(f.mmioBase());
  EXPECT_EQ(p.seen.back(), std::nullopt);
  EXPECT_EQ(f.readConfig(kCpu, 0x44, 4), 0xfeb80000u);
  const size_t calls = p.seen.size();
  f.writeConfig(kCpu, 0x48, 4, 0x2);  // moving a disabled block places nothing
  EXPECT_EQ(p.seen.size(), calls);
}

TEST(IommuPciFunctionTest, FirmwareEnablesItAndSnapshotsKeepIt) {
  Placements p;
  AmdIommuFunction f(0x1481, p.callback());
  f.enableAt(0xfd200000);
  EXPECT_EQ(f.readConfig(kCpu, 0x44, 4), 0xfd200001u);
  EXPECT_EQ(f.readConfig(kCpu, 0x48, 4), 0u);
  EXPECT_EQ(p.seen.back(), 0xfd200000u);
  EXPECT_THROW(f.enableAt(0xfd201000), InternalError);
  const std::vector<uint8_t> saved = f.saveState();
  f.writeConfig(kCpu, 0x44, 4, 0);
  f.restoreState(saved);
  EXPECT_EQ(f.mmioBase(), 0xfd200000u);
  std::vector<uint8_t> bad = saved;
  bad[5] |= 0x2;  // a reserved bit of base low
  EXPECT_THROW(f.restoreState(bad), InputError);
}

}  // namespace
}  // namespace dlsim::svm
