// The TXT heap parser against tables laid out by hand from the SDG offsets
// (spec §3: tboot include/txt/heap.h, Linux slaunch.h): every field lands
// where the layout says, extended elements decode, and every layout fault is
// a named failure, never a read outside the heap.
#include <gtest/gtest.h>

#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/heap/tests/heap_test_bytes.h"

namespace dlsim::txt::heap {
namespace {

using testing::Le;
using testing::table;

constexpr uint64_t kLogAddr = 0x7E000000;

// BiosData v6 as a TPM 2.0 BIOS writes it: BIOS_SPEC_VER, ACM, END.
std::vector<uint8_t> biosV6() {
  Le b;
  b.u32(6).u32(0x40000).u64(0x11).u64(0x22).u32(4).u32(0).u32(0x5);
  b.u32(1).u32(14).u16(2).u16(1).u16(0);
  b.u32(2).u32(20).u32(1).u64(0xFFF00000);
  b.u32(0).u32(8);
  return table(b.b);
}

// Linux Secure Launch OsMleData v1 (96 bytes).
std::vector<uint8_t> osMleLinux() {
  Le m;
  m.u32(1).u32(0x90000).u64(0x7D000000).u64(0x7D000100).u32(0x9A000).u32(0x4000).fill(64);
  return table(m.b);
}

// OsSinitData v7 with the TPM 2.0 TCG log pointer.
std::vector<uint8_t> osSinitV7() {
  Le o;
  o.u32(7).u32(1).u64(0x00FFD000).u64(0x47000).u64(0x100);
  o.u64(0).u64(0x80000000).u64(0x100000000ull).u64(0x40000000).u64(0).u64(0);
  o.u32(0x202).u64(0xF0000);
  o.u32(8).u32(28).u64(kLogAddr).u32(0x2000).u32(0).u32(0);
  o.u32(0).u32(8);
  return table(o.b);
}

std::vector<uint8_t> heapOf(std::initializer_list<std::vector<uint8_t>> tables, size_t heapSize = 0x10000) {
  std::vector<uint8_t> h;
  for (const auto& t : tables) h.insert(h.end(), t.begin(), t.end());
  if (h.size() < heapSize) h.resize(heapSize, 0);
  return h;
}

TEST(HeapParse, ReadsEveryFieldOfAHandLaidTpm2Heap) {
  auto bytes = heapOf({biosV6(), osMleLinux(), osSinitV7()});
  HeapParse p = parseTxtHeap(bytes, HeapScope::kBeforeLaunch);
  ASSERT_TRUE(p.ok()) << p.failures[0].detail;
  ASSERT_TRUE(p.heap.bios && p.heap.osMle && p.heap.osSinit);
  EXPECT_FALSE(p.heap.sinitMle);

  const BiosData& b = *p.heap.bios;
  EXPECT_EQ(p.heap.biosExtent->offset, 0u);
  EXPECT_EQ(p.heap.biosExtent->size, 8u + 0x24 + 14 + 20 + 8);
  EXPECT_EQ(b.version, 6u);
  EXPECT_EQ(b.biosSinitSize, 0x40000u);
  EXPECT_EQ(b.lcpPdBase, 0x11u);
  EXPECT_EQ(b.lcpPdSize, 0x22u);
  EXPECT_EQ(b.numLogicalProcs, 4u);
  EXPECT_EQ(b.mleFlags, 5u);
  ASSERT_EQ(b.elements.size(), 3u);
  auto spec = decodeBiosSpecVer(b.elements[0]);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->major, 2);
  EXPECT_EQ(spec->minor, 1);
  auto acm = decodeAcm(b.elements[1]);
  ASSERT_TRUE(acm);
  EXPECT_EQ(acm->addresses, std::vector<uint64_t>{0xFFF00000});
  EXPECT_EQ(b.elements[2].type, 0u);
  EXPECT_EQ(b.elements[1].heapOffset, 8u + 0x24 + 14);

  ASSERT_TRUE(p.heap.osMle->linuxSl);
  EXPECT_EQ(p.heap.osMle->bytes.size(), 96u);
  EXPECT_EQ(p.heap.osMle->linuxSl->bootParamsAddr, 0x90000u);
  EXPECT_EQ(p.heap.osMle->linuxSl->slrt, 0x7D000000u);
  EXPECT_EQ(p.heap.osMle->linuxSl->txtInfo, 0x7D000100u);
  EXPECT_EQ(p.heap.osMle->linuxSl->apWakeBlock, 0x9A000u);
  EXPECT_EQ(p.heap.osMle->linuxSl->apWakeBlockSize, 0x4000u);

  const OsSinitData& o = *p.heap.osSinit;
  EXPECT_EQ(o.version, 7u);
  EXPECT_EQ(o.flags, 1u);
  EXPECT_EQ(o.mlePageTableBase, 0x00FFD000u);
  EXPECT_EQ(o.mleSize, 0x47000u);
  EXPECT_EQ(o.mleHeaderBase, 0x100u);
  EXPECT_EQ(o.pmrLowBase, 0u);
  EXPECT_EQ(o.pmrLowSize, 0x80000000u);
  EXPECT_EQ(o.pmrHighBase, 0x100000000ull);
  EXPECT_EQ(o.pmrHighSize, 0x40000000u);
  EXPECT_EQ(o.capabilities, 0x202u);
  EXPECT_EQ(o.rsdp, 0xF0000u);
  ASSERT_EQ(o.elements.size(), 2u);
  auto log = decodeEventLogPointer2_1(o.elements[0]);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->physAddr, kLogAddr);
  EXPECT_EQ(log->allocatedSize, 0x2000u);
}

TEST(HeapParse, ReadsSinitMleDataWithMdrsAndDmarAtOffsetsFromTheSizeField) {
  // Version 8: fixed part 0x94, then 2 MDRs at table offset 0xA0 (from the
  // size field), then a 48-byte DMAR at 0xD0.
  Le s;
  s.u32(8);
  for (int i = 0; i < 20; ++i) s.u8(uint8_t(0xA0 + i));  // BiosAcmId
  s.u32(0).u64(1);
  s.fill(20, 0x51).fill(20, 0x52).fill(20, 0x53).fill(20, 0x54);  // sinit, mle, stm, lcp hashes
  s.u32(0x77).u32(0x9B000).u32(0).u32(2).u32(0xA0).u32(48).u32(0xD0).u32(1);
  s.fill(0xA0 - 8 - s.size());
  s.u64(0).u64(0x9F000).u8(0).fill(7);
  s.u64(0xFED20000).u64(0x10000).u8(4).fill(7);
  std::vector<uint8_t> dmar(48);
  for (size_t i = 0; i < dmar.size(); ++i) dmar[i] = uint8_t(i);
  s.bytes(dmar);
  auto bytes = heapOf({biosV6(), osMleLinux(), osSinitV7(), table(s.b)});
  HeapParse p = parseTxtHeap(bytes);
  ASSERT_TRUE(p.ok()) << p.failures[0].detail;
  ASSERT_TRUE(p.heap.sinitMle);
  const SinitMleData& m = *p.heap.sinitMle;
  EXPECT_EQ(m.version, 8u);
  EXPECT_EQ(m.biosAcmId[0], 0xA0);
  EXPECT_EQ(m.biosAcmId[19], 0xA0 + 19);
  EXPECT_EQ(m.msegValid, 1u);
  EXPECT_EQ(m.mleHash[0], 0x52);
  EXPECT_EQ(m.lcpPolicyHash[19], 0x54);
  EXPECT_EQ(m.lcpPolicyControl, 0x77u);
  EXPECT_EQ(m.rlpWakeupAddr, 0x9B000u);
  EXPECT_EQ(m.processorScrtmStatus, 1u);
  ASSERT_EQ(m.mdrs.size(), 2u);
  EXPECT_EQ(m.mdrs[0].length, 0x9F000u);
  EXPECT_EQ(m.mdrs[1].base, 0xFED20000u);
  EXPECT_EQ(m.mdrs[1].type, uint8_t(MdrType::kProtected));
  EXPECT_EQ(m.dmar, dmar);
}

TEST(HeapParse, RecognisesTbootsOsMleDataVersion3) {
  Le m;
  m.u32(3).u64(0xC06).u32(2);
  m.u64(0x6).u64(0x80000006);
  m.fill(14 * 8);
  m.u64(0xFFF0000800ull).u64(0xFFC0000800ull);
  m.fill(14 * 8);
  m.u32(0x1234560).u32(0x850089);
  m.fill(64 * 1024 + 20 * 1024);
  auto bytes = heapOf({biosV6(), table(m.b), osSinitV7()}, 0x20000);
  HeapParse p = parseTxtHeap(bytes, HeapScope::kBeforeLaunch);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.heap.osMle->tboot);
  const auto& t = *p.heap.osMle->tboot;
  EXPECT_EQ(t.mtrrDefType, 0xC06u);
  ASSERT_EQ(t.varMtrrs.size(), 2u);
  EXPECT_EQ(t.varMtrrs[1].first, 0x80000006u);
  EXPECT_EQ(t.varMtrrs[0].second, 0xFFF0000800ull);
  EXPECT_EQ(t.loaderContextAddr, 0x1234560u);
  EXPECT_EQ(t.savedMiscEnable, 0x850089u);
  EXPECT_EQ(t.eventLogBufferOffset, 4u + 268 + 8 + 64 * 1024);
}

TEST(HeapParse, OlderVersionsUseTheirShorterFixedParts) {
  Le b2;
  b2.u32(2).u32(0).u64(0).u64(0).u32(2);  // 0x1C bytes, no flags
  Le o4;
  o4.u32(4).u32(0).u64(0x1000).u64(0x2000).u64(0).u64(0).u64(0x200000).u64(0).u64(0).u64(0).u64(0).u32(1);
  auto bytes = heapOf({table(b2.b), table({1, 0, 0, 0}), table(o4.b)});
  HeapParse p = parseTxtHeap(bytes, HeapScope::kBeforeLaunch);
  ASSERT_TRUE(p.ok()) << p.failures[0].detail;
  EXPECT_EQ(p.heap.bios->numLogicalProcs, 2u);
  EXPECT_EQ(p.heap.osSinit->pmrLowSize, 0x200000u);
  EXPECT_EQ(p.heap.osSinit->capabilities, 1u);
  EXPECT_TRUE(p.heap.osSinit->elements.empty());
  EXPECT_EQ(p.heap.osSinitExtent->size, 0x5Cu);
}

HeapRule onlyRule(const HeapParse& p) {
  EXPECT_EQ(p.failures.size(), 1u);
  return p.failures.empty() ? HeapRule::kAcmAddressInvalid : p.failures[0].rule;
}

TEST(HeapParse, LayoutFaultsAreNamedFailures) {
  // A table size past HEAP.SIZE.
  auto big = heapOf({biosV6(), osMleLinux(), osSinitV7()}, 0x400);
  testing::put64(big, 0, 0x401);
  EXPECT_EQ(onlyRule(parseTxtHeap(big)), HeapRule::kTableBeyondHeap);
  // A heap that ends before OsSinitData's size field.
  auto bios = biosV6(), osMle = osMleLinux();
  std::vector<uint8_t> shortHeap = bios;
  shortHeap.insert(shortHeap.end(), osMle.begin(), osMle.end());
  shortHeap.resize(shortHeap.size() + 4);
  EXPECT_EQ(onlyRule(parseTxtHeap(shortHeap, HeapScope::kBeforeLaunch)), HeapRule::kTableBeyondHeap);
  // Size below 8, and below the version's fixed part.
  auto tiny = heapOf({biosV6(), osMleLinux(), osSinitV7()});
  testing::put64(tiny, 0, 4);
  EXPECT_EQ(onlyRule(parseTxtHeap(tiny)), HeapRule::kTableSizeTooSmall);
  Le b6;
  b6.u32(6).u32(0).u64(0).u64(0).u32(1);  // 0x1C: v6 needs 0x24
  EXPECT_EQ(onlyRule(parseTxtHeap(heapOf({table(b6.b), osMleLinux(), osSinitV7()}), HeapScope::kBeforeLaunch)),
            HeapRule::kTableSizeTooSmall);
}

TEST(HeapParse, ElementFaultsAreNamedFailures) {
  auto withBiosElements = [](const std::vector<uint8_t>& els) {
    Le b;
    b.u32(6).u32(0).u64(0).u64(0).u32(1).u32(0).u32(0).bytes(els);
    return parseTxtHeap(heapOf({table(b.b), osMleLinux(), osSinitV7()}), HeapScope::kBeforeLaunch);
  };
  EXPECT_EQ(onlyRule(withBiosElements(Le().u32(1).u32(14).u16(2).u16(1).u16(0).b)), HeapRule::kElementListNoEnd);
  EXPECT_EQ(onlyRule(withBiosElements(Le().u32(1).u32(4).u32(0).u32(8).b)), HeapRule::kElementTruncated);
  EXPECT_EQ(onlyRule(withBiosElements(Le().u32(1).u32(0x100).u32(0).u32(8).b)), HeapRule::kElementTruncated);
  EXPECT_EQ(onlyRule(withBiosElements(Le().u32(1).u32(16).u16(2).u16(1).u16(0).u16(0).u32(0).u32(8).b)),
            HeapRule::kElementMalformed);
  EXPECT_EQ(onlyRule(withBiosElements(Le().u32(2).u32(20).u32(2).u64(0xFFF00000).u32(0).u32(8).b)),
            HeapRule::kElementMalformed);
  EXPECT_EQ(onlyRule(withBiosElements(Le().u32(0).u32(12).u32(0).b)), HeapRule::kElementMalformed);
  // Unknown and opaque types are skipped by their size.
  HeapParse ok = withBiosElements(Le().u32(0x77).u32(12).u32(5).u32(3).u32(12).u32(4).u32(0).u32(8).b);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.heap.bios->elements.size(), 3u);
}

TEST(HeapParse, SinitMleTablesOutsideTheTableAreNamed) {
  Le s;
  s.u32(8).fill(0x74).u32(0).u32(0).u32(3).u32(0x90).u32(0).u32(0).u32(0);
  EXPECT_EQ(onlyRule(parseTxtHeap(heapOf({biosV6(), osMleLinux(), osSinitV7(), table(s.b)}))),
            HeapRule::kSinitMleTableOutside);
  Le d;
  d.u32(8).fill(0x74).u32(0).u32(0).u32(0).u32(0).u32(0xFFFFFFF0u).u32(0x20).u32(0);
  EXPECT_EQ(onlyRule(parseTxtHeap(heapOf({biosV6(), osMleLinux(), osSinitV7(), table(d.b)}))),
            HeapRule::kSinitMleTableOutside);
}

TEST(HeapParse, NeverReadsPastAnyTruncation) {
  auto full = heapOf({biosV6(), osMleLinux(), osSinitV7()}, 0);
  for (size_t n = 0; n <= full.size(); ++n) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + n);
    HeapParse p = parseTxtHeap(cut, HeapScope::kBeforeLaunch);
    if (n < full.size()) EXPECT_FALSE(p.ok()) << n;
    else EXPECT_TRUE(p.ok());
  }
}

}  // namespace
}  // namespace dlsim::txt::heap
