#include "sim/guest_memory.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace dlsim
