// The MLE page-table walk and hash on page tables built in a buffer the way
// tboot (one PT, tables just below the MLE) and TrenchBoot GRUB (PTs packed
// after the PD, several PDEs) build them; expected digests are Botan's hash
// of the image bytes, computed here without the walk. Each broken table rule
// is named.
#include <gtest/gtest.h>

#include <botan/hash.h>

#include "txt_model/mle/mle_hash.h"
#include "txt_model/mle/mle_page_walk.h"

namespace dlsim::txt::mle {
namespace {

constexpr uint64_t kBase = 0x800000;  // where the test buffer sits
constexpr uint64_t kPage = 4096;

struct Memory {
  std::vector<uint8_t> bytes;
  explicit Memory(size_t size) : bytes(size, 0) {
    for (size_t i = 0; i < size; ++i) bytes[i] = uint8_t((i * 131 + (i >> 12) * 7) ^ 0x5A);
  }
  void put64(uint64_t gpa, uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes[gpa - kBase + i] = uint8_t(v >> (8 * i));
  }
  void zero(uint64_t gpa, size_t n) { std::fill_n(bytes.begin() + (gpa - kBase), n, 0); }
  BufferPhysReader reader() const { return BufferPhysReader(kBase, bytes); }
  std::vector<uint8_t> hash(const char* alg, const std::vector<std::pair<uint64_t, uint64_t>>& pieces) const {
    auto h = Botan::HashFunction::create_or_throw(alg);
    for (auto [gpa, len] : pieces) h->update(bytes.data() + (gpa - kBase), len);
    auto d = h->final();
    return {d.begin(), d.end()};
  }
};

// tboot: PDPT, PD and one PT in the three pages below the MLE; PDPTE[0] ->
// PD, PDE[0] -> PT, PTEs -> consecutive MLE pages (entries: address | P).
uint64_t tbootTables(Memory& m, uint64_t mleStart, uint64_t mleSize) {
  uint64_t pdpt = mleStart - 3 * kPage, pd = pdpt + kPage, pt = pd + kPage;
  m.zero(pdpt, 3 * kPage);
  m.put64(pdpt, pd | 1);
  m.put64(pd, pt | 1);
  for (uint64_t off = 0, i = 0; off < mleSize; off += kPage, ++i) m.put64(pt + 8 * i, (mleStart + off) | 1);
  return pdpt;
}

// GRUB: PDPT, PD, then as many PTs as needed packed after the PD; PDE[i] ->
// the i-th PT.
uint64_t grubTables(Memory& m, uint64_t tables, uint64_t mleStart, uint64_t mleSize, size_t tablePages) {
  m.zero(tables, tablePages * kPage);
  uint64_t pdpt = tables, pd = pdpt + kPage, pt0 = pd + kPage;
  m.put64(pdpt, pd | 1);
  uint64_t pages = (mleSize + kPage - 1) / kPage;
  for (uint64_t i = 0; i < pages; ++i) {
    if (i % 512 == 0) m.put64(pd + 8 * (i / 512), (pt0 + (i / 512) * kPage) | 1);
    m.put64(pt0 + 8 * i, (mleStart + i * kPage) | 1);
  }
  return pdpt;
}

TEST(MlePageWalk, TbootLayoutMapsOneRangeAndHashesLikeBotan) {
  Memory m(0x60000);
  const uint64_t mleStart = kBase + 0x4000, mleSize = 0x48A10;  // not a page multiple
  uint64_t pdpt = tbootTables(m, mleStart, mleSize);
  MleWalk w = walkMlePageTables(m.reader(), pdpt, mleSize);
  ASSERT_TRUE(w.ok()) << w.failure->detail;
  EXPECT_EQ(w.ranges, (std::vector<PhysRange>{{mleStart, mleSize}}));
  EXPECT_EQ(w.pages.size(), 0x49u);
  EXPECT_EQ(w.tablePages, (std::vector<uint64_t>{pdpt, pdpt + kPage, pdpt + 2 * kPage}));
  for (auto [alg, name] : {std::pair<uint16_t, const char*>{0x0004, "SHA-1"}, {0x000B, "SHA-256"}, {0x000C, "SHA-384"},
                           {0x000D, "SHA-512"}, {0x0012, "SM3"}}) {
    auto d = mleDigest(m.reader(), w, alg);
    ASSERT_TRUE(d) << name;
    EXPECT_EQ(*d, m.hash(name, {{mleStart, mleSize}})) << name;
  }
  EXPECT_FALSE(mleDigest(m.reader(), w, 0x0099));
}

TEST(MlePageWalk, GrubLayoutWithSeveralPageTables) {
  const uint64_t tables = kBase, mleStart = kBase + 0x10000, mleSize = 5 * 0x100000 + 123;
  Memory m(0x10000 + mleSize + kPage);
  uint64_t pdpt = grubTables(m, tables, mleStart, mleSize, 16);
  MleWalk w = walkMlePageTables(m.reader(), pdpt, mleSize);
  ASSERT_TRUE(w.ok()) << w.failure->detail;
  EXPECT_EQ(w.ranges, (std::vector<PhysRange>{{mleStart, mleSize}}));
  EXPECT_EQ(w.tablePages.size(), 2u + 3u);  // PDPT, PD, 3 PTs
  EXPECT_EQ(*mleDigest(m.reader(), w, 0x000B), m.hash("SHA-256", {{mleStart, mleSize}}));
}

TEST(MlePageWalk, IncreasingButScatteredPagesHashInLinearOrder) {
  Memory m(0x20000);
  uint64_t pdpt = kBase, pd = kBase + kPage, pt = kBase + 2 * kPage;
  m.zero(pdpt, 3 * kPage);
  m.put64(pdpt, pd | 1);
  m.put64(pd, pt | 1);
  const uint64_t pages[] = {kBase + 0x4000, kBase + 0x5000, kBase + 0x9000, kBase + 0xC000};
  for (int i = 0; i < 4; ++i) m.put64(pt + 8 * i, pages[i] | 0x3);  // R/W set too: only P matters
  MleWalk w = walkMlePageTables(m.reader(), pdpt, 0x3800);
  ASSERT_TRUE(w.ok()) << w.failure->detail;
  EXPECT_EQ(w.ranges, (std::vector<PhysRange>{{pages[0], 0x2000}, {pages[2], 0x1000}, {pages[3], 0x800}}));
  EXPECT_EQ(*mleDigest(m.reader(), w, 0x0004),
            m.hash("SHA-1", {{pages[0], 0x2000}, {pages[2], 0x1000}, {pages[3], 0x800}}));
  // Reading the MLE linearly follows the pages.
  std::vector<uint8_t> across(0x20);
  ASSERT_TRUE(readMleLinear(m.reader(), w, 0x1FF0, across));
  EXPECT_TRUE(std::equal(across.begin(), across.begin() + 0x10, m.bytes.begin() + (pages[1] + 0xFF0 - kBase)));
  EXPECT_TRUE(std::equal(across.begin() + 0x10, across.end(), m.bytes.begin() + (pages[2] - kBase)));
  std::vector<uint8_t> past(0x10);
  EXPECT_FALSE(readMleLinear(m.reader(), w, 0x37F8, past));
}

std::string rule(const MleWalk& w) { return w.failure ? w.failure->name() : "ok"; }

TEST(MlePageWalk, EachBrokenTableRuleIsNamed) {
  const uint64_t mleStart = kBase + 0x4000, mleSize = 0x8000;
  auto fresh = [&](Memory& m) { return tbootTables(m, mleStart, mleSize); };
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt + 2 * kPage + 8 * 3, 0);  // PTE 3 not present
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.not_present");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt, 0);
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.not_present");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt + kPage, (pdpt + 2 * kPage) | 0x81);  // PS: a 2 MiB page
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.large_page");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt + 2 * kPage + 8 * 2, (mleStart + kPage) | 1);  // page 2 = page 1
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.not_increasing");
  }
  {
    // Tables above the MLE pages: the breadth-first order goes down.
    Memory m(0x20000);
    uint64_t pdpt = kBase + 0x10000, pd = pdpt + kPage, pt = pd + kPage;
    m.zero(pdpt, 3 * kPage);
    m.put64(pdpt, pd | 1);
    m.put64(pd, pt | 1);
    for (int i = 0; i < 8; ++i) m.put64(pt + 8 * i, (kBase + i * kPage) | 1);
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.not_increasing");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt + 2 * kPage + 8 * 8, (mleStart + 8 * kPage) | 1);  // one PTE more than MLESize needs
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.mapping_beyond_mle");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt + 8, (pdpt + kPage) | 1);  // a second PDPTE
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.mapping_beyond_mle");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    WalkOptions heap{{{"TXT heap", mleStart + 0x6000, 0x100000}}};
    MleWalk w = walkMlePageTables(m.reader(), pdpt, mleSize, heap);
    EXPECT_EQ(rule(w), "mle.page_table.overlaps_forbidden_region");
    EXPECT_NE(w.failure->detail.find("TXT heap"), std::string::npos);
    WalkOptions low{{{"legacy 640K-1M", pdpt, 1}}};
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize, low)), "mle.page_table.overlaps_forbidden_region");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    m.put64(pdpt + 2 * kPage + 8 * 7, 0x40000000 | 1);  // last page outside RAM (the buffer)
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, mleSize)), "mle.page_table.unreadable");
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), 0x1000, mleSize)), "mle.page_table.unreadable");
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt + 8, mleSize)), "mle.page_table.unreadable");
  }
  {
    Memory m(0x20000);
    uint64_t pdpt = fresh(m);
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, 0)), "mle.page_table.bad_size");
    EXPECT_EQ(rule(walkMlePageTables(m.reader(), pdpt, kMaxMleSize + 1)), "mle.page_table.bad_size");
    EXPECT_FALSE(mleDigest(m.reader(), walkMlePageTables(m.reader(), pdpt, 0), 0x000B));
  }
}

}  // namespace
}  // namespace dlsim::txt::mle

namespace dlsim::txt::mle {
namespace {

// The SINIT model walks guest RAM: the same tables through GuestMemory.
TEST(MlePageWalk, WalksGuestRam) {
  GuestMemory ram;
  ram.addRam(0, 0x1000000, "low");
  const uint64_t pdpt = 0x7FD000, pd = 0x7FE000, pt = 0x7FF000, mle = 0x800000, size = 0x2345;
  auto put = [&](uint64_t gpa, uint64_t v) { ASSERT_TRUE(ram.writeValue(gpa, v)); };
  put(pdpt, pd | 1);
  put(pd, pt | 1);
  for (uint64_t i = 0; i < 3; ++i) put(pt + 8 * i, (mle + i * 0x1000) | 1);
  std::vector<uint8_t> image(size);
  for (size_t i = 0; i < size; ++i) image[i] = uint8_t(i * 7 + 1);
  ASSERT_TRUE(ram.write(mle, image.data(), image.size()));
  GuestMemoryPhysReader reader(ram);
  MleWalk w = walkMlePageTables(reader, pdpt, size, {{{"legacy 640K-1M", 0xA0000, 0x60000}}});
  ASSERT_TRUE(w.ok()) << w.failure->detail;
  EXPECT_EQ(w.ranges, (std::vector<PhysRange>{{mle, size}}));
  auto h = Botan::HashFunction::create_or_throw("SHA-384");
  h->update(image);
  auto want = h->final();
  EXPECT_EQ(*mleDigest(reader, w, 0x000C), std::vector<uint8_t>(want.begin(), want.end()));
  // Outside RAM: the walk names the table entry.
  EXPECT_EQ(walkMlePageTables(reader, 0x2000000, size).failure->rule, MleRule::kTableUnreadable);
}

}  // namespace
}  // namespace dlsim::txt::mle
