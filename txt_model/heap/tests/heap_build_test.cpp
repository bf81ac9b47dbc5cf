// Builders write the bytes the SDG layout gives (compared with tables laid
// out by hand), SinitMleData as SINIT writes it, and parse back unchanged.
#include <gtest/gtest.h>

#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/heap/tests/heap_test_bytes.h"

namespace dlsim::txt::heap {
namespace {

using testing::Le;
using testing::table;

TEST(HeapBuild, BiosDataMatchesTheHandLaidLayout) {
  BiosData b;
  b.version = 6;
  b.biosSinitSize = 0x40000;
  b.numLogicalProcs = 8;
  b.mleFlags = 0x5;
  b.elements = {makeBiosSpecVer({2, 1, 0}), makeAcm({{0xFFF00000}})};
  Le want;
  want.u32(6).u32(0x40000).u64(0).u64(0).u32(8).u32(0).u32(5);
  want.u32(1).u32(14).u16(2).u16(1).u16(0).u32(2).u32(20).u32(1).u64(0xFFF00000).u32(0).u32(8);
  EXPECT_EQ(buildBiosData(b), table(want.b));
}

TEST(HeapBuild, OsSinitDataMatchesTheHandLaidLayout) {
  OsSinitData o;
  o.version = 7;
  o.flags = 1;
  o.mlePageTableBase = 0x803000;
  o.mleSize = 0x49000;
  o.mleHeaderBase = 0x1B340;
  o.pmrLowSize = 0x40000000;
  o.pmrHighBase = 0x100000000ull;
  o.pmrHighSize = 0x200000;
  o.capabilities = 0x602;
  o.elements = {makeEventLogPointer2_1({0x1234000, 0x2000, 0, 0})};
  Le want;
  want.u32(7).u32(1).u64(0x803000).u64(0x49000).u64(0x1B340).u64(0).u64(0x40000000).u64(0x100000000ull);
  want.u64(0x200000).u64(0).u64(0).u32(0x602).u64(0);
  want.u32(8).u32(28).u64(0x1234000).u32(0x2000).u32(0).u32(0).u32(0).u32(8);
  EXPECT_EQ(buildOsSinitData(o), table(want.b));
  Le v4;
  o.version = 4;
  v4.u32(4).u32(1).u64(0x803000).u64(0x49000).u64(0x1B340).u64(0).u64(0x40000000).u64(0x100000000ull);
  v4.u64(0x200000).u64(0).u64(0).u32(0x602);
  EXPECT_EQ(buildOsSinitData(o), table(v4.b));
}

SinitMleData sampleSinitMle(uint32_t version) {
  SinitMleData s;
  s.version = version;
  s.biosAcmId.fill(0x11);
  s.mleHash.fill(0x22);
  s.msegValid = 1;
  s.lcpPolicyControl = 3;
  s.rlpWakeupAddr = 0x9B000;
  s.processorScrtmStatus = 1;
  s.mdrs = {{0, 0x9F000, 0}, {0x100000, 0x7EF00000, 0}, {0xFED20000, 0x10000, 4}, {0xE0000000, 0x10000000, 3}};
  s.dmar = std::vector<uint8_t>(0x50, 0);
  for (size_t i = 0; i < s.dmar.size(); ++i) s.dmar[i] = uint8_t(i * 3);
  return s;
}

TEST(HeapBuild, SinitMleDataVersion8PlacesMdrsAndDmarAfterTheFixedPart) {
  auto bytes = buildSinitMleData(sampleSinitMle(8));
  // Size field + fixed 0x94, MDR table 8-byte aligned from the size field.
  const uint32_t mdrOff = 0xA0;  // 8 + 0x94 = 0x9C, aligned up to 0xA0
  const uint32_t dmarOff = mdrOff + 4 * 24;
  ASSERT_EQ(bytes.size(), dmarOff + 0x50u);
  auto rd32 = [&](size_t o) { return uint32_t(bytes[o] | bytes[o + 1] << 8 | bytes[o + 2] << 16 | uint32_t(bytes[o + 3]) << 24); };
  EXPECT_EQ(rd32(0), bytes.size());
  EXPECT_EQ(rd32(8 + 0x80), 4u);
  EXPECT_EQ(rd32(8 + 0x84), mdrOff);
  EXPECT_EQ(rd32(8 + 0x88), 0x50u);
  EXPECT_EQ(rd32(8 + 0x8C), dmarOff);
  EXPECT_EQ(rd32(8 + 0x78), 0x9B000u);
  EXPECT_EQ(rd32(8 + 0x90), 1u);
  EXPECT_EQ(bytes[8 + 0x04], 0x11);
  EXPECT_EQ(bytes[mdrOff + 2 * 24 + 16], 4);  // third MDR's type
  EXPECT_EQ(bytes[dmarOff + 5], 15);

  std::vector<HeapFailure> f;
  auto parsed = parseSinitMleData(std::span(bytes).subspan(8), 0, f);
  ASSERT_TRUE(f.empty());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->mdrs.size(), 4u);
  EXPECT_EQ(parsed->mdrs[3].type, 3);
  EXPECT_EQ(parsed->mdrs[1].length, 0x7EF00000u);
  EXPECT_EQ(parsed->dmar, sampleSinitMle(8).dmar);
  EXPECT_EQ(parsed->mleHash, sampleSinitMle(8).mleHash);
}

TEST(HeapBuild, SinitMleDataVersion9ZeroesTheTpm12FieldsAndCarriesElements) {
  SinitMleData s = sampleSinitMle(9);
  auto bytes = buildSinitMleData(s);
  for (size_t o = 8 + 0x04; o < 8 + 0x78; ++o) ASSERT_EQ(bytes[o], 0) << o;
  std::vector<HeapFailure> f;
  auto parsed = parseSinitMleData(std::span(bytes).subspan(8), 0, f);
  ASSERT_TRUE(f.empty()) << f[0].detail;
  ASSERT_EQ(parsed->elements.size(), 1u);  // END
  EXPECT_EQ(parsed->mdrTableOffset, 0xA8u);  // 8 + 0x94 + END (8) = 0xA4, aligned up to 8
  EXPECT_EQ(parsed->rlpWakeupAddr, 0x9B000u);
  EXPECT_EQ(parsed->mdrs.size(), 4u);
  EXPECT_EQ(parsed->dmar, s.dmar);
}

TEST(HeapBuild, AWholeHeapRoundTrips) {
  BiosData b;
  b.version = 5;
  b.numLogicalProcs = 2;
  b.elements = {makeBiosSpecVer({2, 0, 0})};
  OsSinitData o;
  o.version = 6;
  o.mleSize = 0x10000;
  o.capabilities = 1;
  o.elements = {makeTpmEventLogPtr(0x7000000)};
  std::vector<uint8_t> osMle = {3, 0, 0, 0, 9, 9};
  auto heap = buildTxtHeap(b, osMle, o, sampleSinitMle(7));
  HeapParse p = parseTxtHeap(heap);
  ASSERT_TRUE(p.ok()) << p.failures[0].detail;
  EXPECT_EQ(p.heap.bios->version, 5u);
  EXPECT_EQ(p.heap.osMle->bytes, osMle);
  EXPECT_EQ(decodeTpmEventLogPtr(p.heap.osSinit->elements[0]), 0x7000000u);
  EXPECT_EQ(p.heap.sinitMle->mdrs.size(), 4u);
  EXPECT_EQ(p.heap.sinitMleExtent->offset + p.heap.sinitMleExtent->size, heap.size());
}

}  // namespace
}  // namespace dlsim::txt::heap
