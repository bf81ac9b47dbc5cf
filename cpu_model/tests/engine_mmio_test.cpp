// Where Unicorn 2.1.1 splits a guest access before an MMIO region sees it
// (qemu/accel/tcg/cputlb.c load_helper / store_helper, the regions' 4-byte
// limit, and target/i386 translate.c's two 8-byte halves of a 16-byte SSE
// access): the pattern the engine relies on to merge the pieces.
#include "cpu_model/engine_mmio.h"

#include <gtest/gtest.h>

#include <vector>

namespace dlsim {
namespace {

using P = std::vector<AccessPiece>;

TEST(UnicornPieces, AlignedAccessesComeWholeUpToFourBytes) {
  EXPECT_EQ(unicornPieces(0x1001, 1, false), (P{{0x1001, 1}}));
  EXPECT_EQ(unicornPieces(0x1002, 2, true), (P{{0x1002, 2}}));
  EXPECT_EQ(unicornPieces(0x1004, 4, false), (P{{0x1004, 4}}));
  EXPECT_EQ(unicornPieces(0x1008, 8, false), (P{{0x1008, 4}, {0x100c, 4}}));  // two 4-byte halves
  EXPECT_EQ(unicornPieces(0x1008, 8, true), (P{{0x1008, 4}, {0x100c, 4}}));
}

TEST(UnicornPieces, MisalignedLoadsBecomeTwoAlignedLoads) {
  EXPECT_EQ(unicornPieces(0x1001, 4, false), (P{{0x1000, 4}, {0x1004, 4}}));
  EXPECT_EQ(unicornPieces(0x1003, 2, false), (P{{0x1002, 2}, {0x1004, 2}}));
  EXPECT_EQ(unicornPieces(0x1013, 8, false), (P{{0x1010, 4}, {0x1014, 4}, {0x1018, 4}, {0x101c, 4}}));
  EXPECT_EQ(unicornPieces(0x1ffe, 4, false), (P{{0x1ffc, 4}, {0x2000, 4}}));  // across a page
}

TEST(UnicornPieces, MisalignedStoresBecomeByteStores) {
  EXPECT_EQ(unicornPieces(0x1001, 4, true), (P{{0x1001, 1}, {0x1002, 1}, {0x1003, 1}, {0x1004, 1}}));
  EXPECT_EQ(unicornPieces(0x1003, 2, true), (P{{0x1003, 1}, {0x1004, 1}}));
  EXPECT_EQ(unicornPieces(0x100b, 8, true).size(), 8u);
  EXPECT_EQ(unicornPieces(0x100b, 8, true).front(), (AccessPiece{0x100b, 1}));
}

TEST(UnicornPieces, SixteenByteAccessesAreTwoEightByteOnes) {
  EXPECT_EQ(unicornPieces(0x1010, 16, false), (P{{0x1010, 4}, {0x1014, 4}, {0x1018, 4}, {0x101c, 4}}));
  // Misaligned: each half's two aligned 8-byte containers (they overlap).
  EXPECT_EQ(unicornPieces(0x1014, 16, false),
            (P{{0x1010, 4}, {0x1014, 4}, {0x1018, 4}, {0x101c, 4}, {0x1018, 4}, {0x101c, 4}, {0x1020, 4}, {0x1024, 4}}));
  EXPECT_EQ(unicornPieces(0x1011, 16, true).size(), 16u);
}

}  // namespace
}  // namespace dlsim
