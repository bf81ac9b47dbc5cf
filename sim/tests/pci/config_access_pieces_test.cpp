// Configuration accesses that do not stay inside one dword are split at dword
// boundaries into naturally aligned pieces.
#include "sim/pci/config_access_pieces.h"

#include <gtest/gtest.h>

namespace dlsim {
namespace {

std::vector<std::pair<uint64_t, unsigned>> pieces(uint64_t offset, unsigned size) {
  std::vector<std::pair<uint64_t, unsigned>> out;
  for (const ConfigPiece& p : configAccessPieces(offset, size)) out.emplace_back(p.offset, p.size);
  return out;
}

using V = std::vector<std::pair<uint64_t, unsigned>>;

TEST(ConfigAccessPieces, AccessesInsideOneDwordStayWhole) {
  EXPECT_EQ(pieces(0x384, 4), (V{{0x384, 4}}));
  EXPECT_EQ(pieces(0x386, 2), (V{{0x386, 2}}));
  EXPECT_EQ(pieces(0x387, 1), (V{{0x387, 1}}));
}

TEST(ConfigAccessPieces, AnAlignedQwordIsTwoDwordsLowFirst) {
  EXPECT_EQ(pieces(0x1000, 8), (V{{0x1000, 4}, {0x1004, 4}}));
}

TEST(ConfigAccessPieces, AccessesCrossingADwordSplitIntoAlignedPieces) {
  EXPECT_EQ(pieces(0x2, 4), (V{{0x2, 2}, {0x4, 2}}));
  EXPECT_EQ(pieces(0x3, 2), (V{{0x3, 1}, {0x4, 1}}));
  EXPECT_EQ(pieces(0x1, 4), (V{{0x1, 1}, {0x2, 2}, {0x4, 1}}));
  EXPECT_EQ(pieces(0x5, 8), (V{{0x5, 1}, {0x6, 2}, {0x8, 4}, {0xc, 1}}));
  EXPECT_EQ(pieces(0xffe, 4), (V{{0xffe, 2}, {0x1000, 2}}));  // into the next function
}

TEST(ConfigAccessPieces, AMisalignedWordInsideADwordIsTwoBytes) {
  EXPECT_EQ(pieces(0x1, 2), (V{{0x1, 1}, {0x2, 1}}));
}

}  // namespace
}  // namespace dlsim
