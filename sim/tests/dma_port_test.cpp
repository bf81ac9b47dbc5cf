#include "sim/dma_port.h"

#include <gtest/gtest.h>

#include <array>

namespace dlsim {
namespace {

// Refuses requester `rid` anything that touches [base, base+size), or only
// its writes; remembers what it was asked.
class FakeProtection : public DmaProtection {
 public:
  FakeProtection(std::string name, uint32_t rid, uint64_t base, uint64_t size, bool writesOnly)
      : name_(std::move(name)), rid_(rid), base_(base), size_(size), writesOnly_(writesOnly) {}
  std::string name() const override { return name_; }
  bool allow(uint32_t rid, uint64_t gpa, uint64_t len, bool write) override {
    ++asked;
    if (rid != rid_ || (writesOnly_ && !write)) return true;
    return gpa + len <= base_ || base_ + size_ <= gpa;
  }
  int asked = 0;

 private:
  std::string name_;
  uint32_t rid_;
  uint64_t base_, size_;
  bool writesOnly_;
};

class DmaPortTest : public ::testing::Test {
 protected:
  void SetUp() override { mem.addRam(0, 0x10000, "low"); }
  GuestMemory mem;
};

TEST_F(DmaPortTest, WithoutProtectionReadsAndWritesRam) {
  DmaPort port(mem);
  const std::array<uint8_t, 4> in = {1, 2, 3, 4};
  EXPECT_EQ(port.write(0x10, 0x1000, in.data(), in.size()), DmaResult::kDone);
  std::array<uint8_t, 4> out{};
  EXPECT_EQ(port.read(0x10, 0x1000, out.data(), out.size()), DmaResult::kDone);
  EXPECT_EQ(out, in);
  EXPECT_TRUE(port.blocked().empty());
}

TEST_F(DmaPortTest, AProtectionBlocksAndTheBlockIsRecorded) {
  DmaPort port(mem);
  FakeProtection pmr("pmr", 0x10, 0x2000, 0x1000, true);
  port.addProtection(&pmr);
  const uint32_t before = 0x11111111, value = 0xdeadbeef;
  ASSERT_TRUE(mem.writeValue(0x2ffe, before));
  // Overlapping the protected range by two bytes: refused whole.
  EXPECT_EQ(port.write(0x10, 0x2ffe, &value, 4), DmaResult::kBlocked);
  uint32_t now = 0;
  ASSERT_TRUE(mem.readValue(0x2ffe, now));
  EXPECT_EQ(now, before);
  // Another requester, and reads, pass.
  EXPECT_EQ(port.write(0x11, 0x2ffe, &value, 4), DmaResult::kDone);
  EXPECT_EQ(port.read(0x10, 0x2ffe, &now, 4), DmaResult::kDone);
  EXPECT_EQ(now, value);
  ASSERT_EQ(port.blocked().size(), 1u);
  const BlockedDma& b = port.blocked()[0];
  EXPECT_EQ(b.requesterId, 0x10u);
  EXPECT_EQ(b.gpa, 0x2ffeu);
  EXPECT_EQ(b.len, 4u);
  EXPECT_TRUE(b.write);
  EXPECT_EQ(b.protection, "pmr");
  EXPECT_EQ(port.blockedCount(), 1u);
}

TEST_F(DmaPortTest, ABlockedReadReadsAllOnesAndTheFirstRefusalIsNamed) {
  DmaPort port(mem);
  FakeProtection first("dev", 7, 0, 0x10000, false), second("iommu", 7, 0, 0x10000, false);
  port.addProtection(&first);
  port.addProtection(&second);
  ASSERT_TRUE(mem.writeValue<uint32_t>(0x100, 0x12345678));
  uint32_t v = 0;
  EXPECT_EQ(port.read(7, 0x100, &v, 4), DmaResult::kBlocked);
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_EQ(second.asked, 0);
  ASSERT_EQ(port.blocked().size(), 1u);
  EXPECT_EQ(port.blocked()[0].protection, "dev");
  EXPECT_FALSE(port.blocked()[0].write);
  port.removeProtection(&first);
  EXPECT_EQ(port.read(7, 0x100, &v, 4), DmaResult::kBlocked);
  EXPECT_EQ(port.blocked()[1].protection, "iommu");
  port.removeProtection(&second);
  EXPECT_EQ(port.read(7, 0x100, &v, 4), DmaResult::kDone);
  EXPECT_EQ(v, 0x12345678u);
}

TEST_F(DmaPortTest, OutsideRamIsAMasterAbortNotABlock) {
  DmaPort port(mem);
  uint32_t v = 0;
  EXPECT_EQ(port.read(1, 0xfffe, &v, 4), DmaResult::kNotRam);
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_EQ(port.write(1, 0x20000, &v, 4), DmaResult::kNotRam);
  EXPECT_TRUE(port.blocked().empty());
}

TEST_F(DmaPortTest, DmaWritesTellTheMemorysListeners) {
  DmaPort port(mem);
  uint64_t seenGpa = 0, seenLen = 0;
  mem.addWriteListener([&](uint64_t gpa, uint64_t len) {
    seenGpa = gpa;
    seenLen = len;
  });
  const uint16_t v = 0xabcd;
  EXPECT_EQ(port.write(3, 0x400, &v, 2), DmaResult::kDone);
  EXPECT_EQ(seenGpa, 0x400u);
  EXPECT_EQ(seenLen, 2u);
}

// A protection that names the range it guards.
class NamedRangeProtection : public FakeProtection {
 public:
  NamedRangeProtection() : FakeProtection("named", 7, 0x3000, 0x1000, false) {}
  std::optional<DmaRegion> regionOf(uint64_t, uint64_t) const override { return DmaRegion{"guarded", 0x3000, 0x1000}; }
};

TEST_F(DmaPortTest, TheBlockNamesTheRegionAndIsHandedToTheCaller) {
  DmaPort port(mem);
  NamedRangeProtection p;
  port.addProtection(&p);
  uint8_t buf[8] = {};
  BlockedDma why;
  EXPECT_EQ(port.read(7, 0x2ffc, buf, 8, &why), DmaResult::kBlocked);
  EXPECT_EQ(why.protection, "named");
  EXPECT_EQ(why.gpa, 0x2ffcu);
  EXPECT_FALSE(why.write);
  ASSERT_TRUE(why.region.has_value());
  EXPECT_EQ(why.region->name, "guarded");
  EXPECT_EQ(why.region->base, 0x3000u);
  ASSERT_EQ(port.blocked().size(), 1u);
  ASSERT_TRUE(port.blocked()[0].region.has_value());
  // A protection that names no range leaves it empty; an access that lands
  // leaves `why` alone.
  FakeProtection plain("plain", 7, 0x5000, 0x100, false);
  port.addProtection(&plain);
  EXPECT_EQ(port.write(7, 0x5000, buf, 1, &why), DmaResult::kBlocked);
  EXPECT_EQ(why.protection, "plain");
  EXPECT_FALSE(why.region.has_value());
  why.protection = "untouched";
  EXPECT_EQ(port.write(7, 0x6000, buf, 1, &why), DmaResult::kDone);
  EXPECT_EQ(why.protection, "untouched");
}

}  // namespace
}  // namespace dlsim
