#include "sim/guest_memory.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "sim/errors.h"

namespace dlsim {
namespace {

TEST(GuestMemory, SparseRegionsAboveFourGiB) {
  GuestMemory mem;
  mem.addRam(0, 0x9f000, "low");
  mem.addRam(0x100000000ull, 4ull << 30, "high");  // 4 GiB costs nothing until touched
  uint32_t v = 0xdeadbeef;
  EXPECT_TRUE(mem.writeValue(0x100000000ull + 0x1234, v));
  uint32_t r = 0;
  EXPECT_TRUE(mem.readValue(0x100000000ull + 0x1234, r));
  EXPECT_EQ(r, v);
  EXPECT_LT(mem.residentBytes(), 1u << 20);
}

TEST(GuestMemory, AccessOutsideRamFails) {
  GuestMemory mem;
  mem.addRam(0, 0x1000, "low");
  uint8_t b[2] = {1, 2};
  EXPECT_FALSE(mem.write(0xfff, b, 2));  // straddles the end
  EXPECT_FALSE(mem.write(0x5000, b, 1));
  EXPECT_TRUE(mem.write(0xffe, b, 2));
}

TEST(GuestMemory, BadRegionsAreInputErrorsNamingTheRegion) {
  GuestMemory mem;
  mem.addRam(0x100000, 0x100000, "main");
  try {
    mem.addRam(0x1ff000, 0x2000, "extra");
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("extra"), std::string::npos);
    EXPECT_NE(m.find("main"), std::string::npos);
  }
  EXPECT_THROW(mem.addRam(0x123, 0x1000, "odd"), InputError);
  EXPECT_THROW(mem.addRam(0x0, 0, "empty"), InputError);
}

TEST(GuestMemory, WriteListenersSeeHostWrites) {
  GuestMemory mem;
  mem.addRam(0, 0x10000, "low");
  uint64_t seenAddr = 0, seenLen = 0;
  mem.addWriteListener([&](uint64_t a, uint64_t l) { seenAddr = a; seenLen = l; });
  mem.fill(0x2000, 0x90, 0x30);
  EXPECT_EQ(seenAddr, 0x2000u);
  EXPECT_EQ(seenLen, 0x30u);
}

// Resident host pages of this process (/proc/self/statm; the kernel's shared
// zero page, which reads of untouched RAM map, is not counted).
uint64_t residentPages() {
  std::ifstream f("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  f >> size >> resident;
  return resident;
}

TEST(GuestMemory, ZeroPagesStoredOverFreshRamCostNoHostMemory) {
  GuestMemory mem;
  constexpr uint64_t kBytes = 16ull << 20;
  mem.addRam(0, 2 * kBytes, "ram");
  const std::vector<uint8_t> zeros(kBytes + 0x800, 0);
  const uint64_t before = residentPages();
  ASSERT_TRUE(mem.write(0x400, zeros.data(), zeros.size()));  // unaligned: partial pages at both ends
  ASSERT_TRUE(mem.fill(kBytes + 0x1000, 0, kBytes - 0x1000));
  // Only the two partial pages of the write may have been stored (16 MiB
  // stored as zeros would be 8192 pages of the 2 x 16 MiB written).
  EXPECT_LT(residentPages() - before, 64u);
  std::vector<uint8_t> back(zeros.size(), 0xAA);
  ASSERT_TRUE(mem.read(0x400, back.data(), back.size()));
  EXPECT_EQ(back, zeros);
}

TEST(GuestMemory, ZerosStoredOverDataReplaceIt) {
  GuestMemory mem;
  mem.addRam(0, 0x10000, "ram");
  ASSERT_TRUE(mem.fill(0, 0x5A, 0x10000));
  std::vector<uint8_t> image(0x6000, 0);
  image[0x3001] = 0x77;  // one non-zero byte in the middle page
  ASSERT_TRUE(mem.write(0x2000, image.data(), image.size()));
  std::vector<uint8_t> back(0x6000);
  ASSERT_TRUE(mem.read(0x2000, back.data(), back.size()));
  EXPECT_EQ(back, image);
  ASSERT_TRUE(mem.fill(0x9000, 0, 0x2000));
  uint8_t b = 0xFF;
  for (uint64_t a : {0x1fffull, 0x8fffull, 0xb000ull}) {
    ASSERT_TRUE(mem.readValue(a, b));
    EXPECT_EQ(b, 0x5A) << std::hex << a;  // outside what was written
  }
  for (uint64_t a : {0x9000ull, 0xafffull}) {
    ASSERT_TRUE(mem.readValue(a, b));
    EXPECT_EQ(b, 0) << std::hex << a;
  }
}

}  // namespace
}  // namespace dlsim
