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

}  // namespace
}  // namespace dlsim
