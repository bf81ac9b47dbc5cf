// Where Unicorn 2.1.1 splits a guest access before an MMIO region sees it
// (qemu/accel/tcg/cputlb.c load_helper / store_helper and the regions'
// 4-byte limit): the pattern the engine relies on to merge the pieces.
#include "cpu_model/engine_mmio.h"

#include <gtest/gtest.h>

namespace dlsim {
namespace {

void expectPieces(uint64_t addr, unsigned size, bool write, uint64_t first, unsigned firstSize, uint64_t end) {
  const AccessPieces p = unicornPieces(addr, size, write);
  EXPECT_EQ(p.first, first) << size << " bytes at " << addr << (write ? " written" : " read");
  EXPECT_EQ(p.firstSize, firstSize) << size << " bytes at " << addr;
  EXPECT_EQ(p.end, end) << size << " bytes at " << addr;
}

TEST(UnicornPieces, AlignedAccessesComeWholeUpToFourBytes) {
  expectPieces(0x1001, 1, false, 0x1001, 1, 0x1002);
  expectPieces(0x1002, 2, true, 0x1002, 2, 0x1004);
  expectPieces(0x1004, 4, false, 0x1004, 4, 0x1008);
  expectPieces(0x1008, 8, false, 0x1008, 4, 0x1010);  // two 4-byte halves
  expectPieces(0x1008, 8, true, 0x1008, 4, 0x1010);
}

TEST(UnicornPieces, MisalignedLoadsBecomeTwoAlignedLoads) {
  expectPieces(0x1001, 4, false, 0x1000, 4, 0x1008);
  expectPieces(0x1003, 2, false, 0x1002, 2, 0x1006);
  expectPieces(0x1013, 8, false, 0x1010, 4, 0x1020);  // each aligned 8 in two halves
  expectPieces(0x1ffe, 4, false, 0x1ffc, 4, 0x2004);  // across a page
}

TEST(UnicornPieces, MisalignedStoresBecomeByteStores) {
  expectPieces(0x1001, 4, true, 0x1001, 1, 0x1005);
  expectPieces(0x1003, 2, true, 0x1003, 1, 0x1005);
  expectPieces(0x100b, 8, true, 0x100b, 1, 0x1013);
}

}  // namespace
}  // namespace dlsim
