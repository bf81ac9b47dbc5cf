// RamSnapshot: restores exactly the pages written since take(), over and over,
// with costs and memory that follow the pages written.
#include "sim/snapshot/ram_snapshot.h"

#include <botan/hash.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <set>
#include <vector>

#include "sim/errors.h"

namespace dlsim {
namespace {

constexpr uint64_t P = kPageSize;

std::vector<uint8_t> sha256(const uint8_t* p, size_t n) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(p, n);
  auto d = h->final();
  return std::vector<uint8_t>(d.begin(), d.end());
}

// Maximal runs of the given pages, as the test expects restore() to report them.
std::vector<RestoredRange> expectedRanges(uint64_t base, const std::set<uint64_t>& pages) {
  std::vector<RestoredRange> out;
  for (uint64_t p : pages) {
    if (!out.empty() && out.back().gpa + out.back().size == base + p * P)
      out.back().size += P;
    else
      out.push_back({base + p * P, P});
  }
  return out;
}

std::vector<uint8_t> randomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

TEST(RamSnapshot, RestoresWrittenPagesAndLeavesOthersAlone) {
  GuestMemory mem;
  const uint64_t base = 0x100000;
  mem.addRam(base, 64 * P, "ram");
  const auto initial = randomBytes(64 * P, 1);
  // Only the first 32 pages get content before take(); the rest stay untouched.
  ASSERT_TRUE(mem.write(base, initial.data(), 32 * P));
  std::vector<uint8_t> expected(64 * P, 0);
  std::memcpy(expected.data(), initial.data(), 32 * P);

  RamSnapshot snap(mem);
  snap.take();
  EXPECT_EQ(snap.dirtyPageCount(), 0u);
  const uint64_t residentBefore = mem.residentBytes();

  uint8_t* h = mem.host(base);
  h[3 * P + 17] = 0xaa;                      // a store through the host pointer, as a CPU engine makes it
  std::memset(h + 10 * P, 0x55, P);          // a whole page
  const uint32_t v = 0x12345678;
  ASSERT_TRUE(mem.writeValue(base + 40 * P + 8, v));  // host write to a never-touched page
  EXPECT_EQ(snap.dirtyPageCount(), 3u);
  EXPECT_EQ(h[3 * P + 17], 0xaa);
  EXPECT_EQ(snap.savedPageCount(), 2u);  // page 40 was all zero: marked, not copied

  const auto restored = snap.restore();
  EXPECT_EQ(restored, (std::vector<RestoredRange>{{base + 3 * P, P}, {base + 10 * P, P}, {base + 40 * P, P}}));
  EXPECT_EQ(snap.dirtyPageCount(), 0u);
  // Page 40 became resident when written; restore touched no other page.
  // (Checked before the comparison below, whose reads map untouched pages.)
  EXPECT_EQ(mem.residentBytes(), residentBefore + P);
  EXPECT_EQ(std::memcmp(h, expected.data(), 64 * P), 0);

  // Still tracking after the restore.
  h[63 * P] = 1;
  EXPECT_EQ(snap.dirtyPageCount(), 1u);
  EXPECT_EQ(snap.restore(), (std::vector<RestoredRange>{{base + 63 * P, P}}));
  EXPECT_EQ(std::memcmp(h, expected.data(), 64 * P), 0);
}

TEST(RamSnapshot, RestoreListIsExactlyTheWrittenPagesAcrossRegions) {
  GuestMemory mem;
  mem.addRam(0, 0xa0000, "low");  // 160 pages
  mem.addRam(0x100000000ull, 256 * P, "high");
  RamSnapshot snap(mem);
  snap.take();
  std::mt19937 rng(7);
  std::set<uint64_t> lowPages, highPages;
  for (int i = 0; i < 60; ++i) {
    const uint64_t page = rng() % 160;
    lowPages.insert(page);
    mem.host(0)[page * P + rng() % P] = static_cast<uint8_t>(rng() | 1);
  }
  for (int i = 0; i < 90; ++i) {
    const uint64_t page = rng() % 256;
    highPages.insert(page);
    const uint8_t b = static_cast<uint8_t>(rng() | 1);
    ASSERT_TRUE(mem.write(0x100000000ull + page * P + rng() % P, &b, 1));
  }
  EXPECT_EQ(snap.dirtyPageCount(), lowPages.size() + highPages.size());
  auto want = expectedRanges(0, lowPages);
  const auto high = expectedRanges(0x100000000ull, highPages);
  want.insert(want.end(), high.begin(), high.end());
  EXPECT_EQ(snap.restore(), want);
  const std::vector<uint8_t> zeros(256 * P, 0);
  EXPECT_EQ(std::memcmp(mem.host(0), zeros.data(), 160 * P), 0);
  EXPECT_EQ(std::memcmp(mem.host(0x100000000ull), zeros.data(), 256 * P), 0);
}

TEST(RamSnapshot, ThousandRestoreCyclesGiveIdenticalMemory) {
  GuestMemory mem;
  const uint64_t base = 0x200000;
  const uint64_t pages = 64;
  mem.addRam(base, pages * P, "ram");
  const auto initial = randomBytes(pages * P, 42);
  ASSERT_TRUE(mem.write(base, initial.data(), initial.size()));
  const auto want = sha256(initial.data(), initial.size());  // from the test's own copy

  RamSnapshot snap(mem);
  snap.take();
  uint8_t* h = mem.host(base);
  std::mt19937 rng(99);
  for (int cycle = 0; cycle < 1000; ++cycle) {
    std::set<uint64_t> written;
    const int stores = 1 + static_cast<int>(rng() % 12);
    for (int s = 0; s < stores; ++s) {
      const uint64_t off = rng() % (pages * P - 8);
      const uint64_t len = 1 + rng() % 8;
      uint8_t data[8];
      for (auto& b : data) b = static_cast<uint8_t>(rng());
      if (rng() % 2) {
        std::memcpy(h + off, data, len);
      } else {
        ASSERT_TRUE(mem.write(base + off, data, len));
      }
      for (uint64_t p = off / P; p <= (off + len - 1) / P; ++p) written.insert(p);
    }
    ASSERT_EQ(snap.dirtyPageCount(), written.size()) << "cycle " << cycle;
    ASSERT_EQ(snap.restore(), expectedRanges(base, written)) << "cycle " << cycle;
    ASSERT_EQ(sha256(h, pages * P), want) << "cycle " << cycle;
  }
  // Each page's pristine copy is made once, however many cycles write it.
  EXPECT_LE(snap.savedPageCount(), pages);
}

TEST(RamSnapshot, SparseFourGiBRegionStaysSparse) {
  GuestMemory mem;
  const uint64_t base = 0x100000000ull;
  mem.addRam(base, 4ull << 30, "high");
  RamSnapshot snap(mem);
  snap.take();
  EXPECT_EQ(mem.residentBytes(), 0u);
  std::set<uint64_t> pages;
  for (uint64_t i = 0; i < 16; ++i) {
    const uint64_t page = (i * 65521 + 3) % ((4ull << 30) / P);
    pages.insert(page);
    const uint64_t v = 0x0101010101010101ull * (i + 1);
    ASSERT_TRUE(mem.writeValue(base + page * P + 64, v));
  }
  ASSERT_EQ(pages.size(), 16u);
  EXPECT_EQ(snap.dirtyPageCount(), 16u);
  EXPECT_EQ(snap.savedPageCount(), 0u);  // all were zero pages
  EXPECT_EQ(mem.residentBytes(), 16 * P);
  EXPECT_EQ(snap.restore(), expectedRanges(base, pages));
  EXPECT_EQ(mem.residentBytes(), 16 * P);  // restore wrote those 16 pages and nothing else
  for (uint64_t page : pages) {
    uint64_t v = 1;
    ASSERT_TRUE(mem.readValue(base + page * P + 64, v));
    EXPECT_EQ(v, 0u);
  }
}

TEST(RamSnapshot, TwoByteWriteStraddlingTwoPages) {
  GuestMemory mem;
  const uint64_t base = 0x10000;
  mem.addRam(base, 8 * P, "ram");
  std::vector<uint8_t> pattern(8 * P);
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint8_t>(i * 7 + 3);
  ASSERT_TRUE(mem.write(base, pattern.data(), pattern.size()));
  RamSnapshot snap(mem);
  snap.take();

  const uint8_t two[2] = {0xde, 0xad};
  ASSERT_TRUE(mem.write(base + 2 * P - 1, two, 2));  // last byte of page 1, first of page 2
  EXPECT_EQ(snap.dirtyPageCount(), 2u);
  // The same through the host pointer, as an unaligned 16-bit guest store.
  uint8_t* h = mem.host(base);
  const uint16_t w = 0xbeef;
  std::memcpy(h + 5 * P - 1, &w, 2);
  EXPECT_EQ(snap.dirtyPageCount(), 4u);
  EXPECT_EQ(h[2 * P - 1], 0xde);
  EXPECT_EQ(h[2 * P], 0xad);
  EXPECT_EQ(snap.restore(), (std::vector<RestoredRange>{{base + P, 2 * P}, {base + 4 * P, 2 * P}}));
  EXPECT_EQ(std::memcmp(h, pattern.data(), pattern.size()), 0);
}

TEST(RamSnapshot, HostWritesNotifyListenersButRestoreDoesNot) {
  GuestMemory mem;
  mem.addRam(0, 16 * P, "ram");
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  mem.addWriteListener([&](uint64_t gpa, uint64_t len) { seen.emplace_back(gpa, len); });
  RamSnapshot snap(mem);
  snap.take();
  ASSERT_TRUE(mem.fill(3 * P + 100, 0x77, 2 * P));
  EXPECT_EQ(seen, (std::vector<std::pair<uint64_t, uint64_t>>{{3 * P + 100, 2 * P}}));
  EXPECT_EQ(snap.dirtyPageCount(), 3u);
  EXPECT_EQ(snap.restore(), (std::vector<RestoredRange>{{3 * P, 3 * P}}));
  EXPECT_EQ(seen.size(), 1u);  // the caller notifies, with the returned ranges
  EXPECT_EQ(mem.host(0)[4 * P], 0);
}

TEST(RamSnapshot, TakeAgainMovesTheBaselineAndStopEndsTracking) {
  GuestMemory mem;
  mem.addRam(0, 8 * P, "ram");
  uint8_t* h = mem.host(0);
  RamSnapshot snap(mem);
  snap.take();
  h[P] = 1;
  snap.take();  // baseline now has h[P] == 1
  EXPECT_EQ(snap.dirtyPageCount(), 0u);
  h[P] = 2;
  h[2 * P] = 3;
  EXPECT_EQ(snap.restore(), (std::vector<RestoredRange>{{P, 2 * P}}));
  EXPECT_EQ(h[P], 1);
  EXPECT_EQ(h[2 * P], 0);

  snap.stop();
  EXPECT_FALSE(snap.active());
  h[3 * P] = 4;  // plain store, no tracking
  EXPECT_EQ(snap.dirtyPageCount(), 0u);
  EXPECT_EQ(h[3 * P], 4);
  EXPECT_THROW(snap.restore(), InternalError);
}

TEST(RamSnapshot, RefusesToRestoreAfterRegionsChanged) {
  GuestMemory mem;
  mem.addRam(0x100000, 4 * P, "ram");
  RamSnapshot snap(mem);
  snap.take();
  mem.addRam(0, 4 * P, "low");
  EXPECT_THROW(snap.restore(), InternalError);
  snap.take();  // covers both regions now
  mem.host(0)[5] = 9;
  EXPECT_EQ(snap.restore(), (std::vector<RestoredRange>{{0, P}}));
  EXPECT_EQ(mem.host(0)[5], 0);
}

TEST(RamSnapshot, KernelWritesNeedPrepareHostWrite) {
  GuestMemory mem;
  mem.addRam(0, 4 * P, "ram");
  RamSnapshot snap(mem);
  snap.take();
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  const char msg[] = "kernel";
  ASSERT_EQ(write(fds[1], msg, sizeof(msg)), static_cast<ssize_t>(sizeof(msg)));
  // The kernel's store into a protected page does not fault into the handler.
  errno = 0;
  EXPECT_EQ(read(fds[0], mem.host(P), sizeof(msg)), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_TRUE(snap.prepareHostWrite(P, sizeof(msg)));
  EXPECT_EQ(snap.dirtyPageCount(), 1u);
  EXPECT_EQ(read(fds[0], mem.host(P), sizeof(msg)), static_cast<ssize_t>(sizeof(msg)));
  EXPECT_STREQ(reinterpret_cast<const char*>(mem.host(P)), "kernel");
  EXPECT_FALSE(snap.prepareHostWrite(3 * P, 2 * P));  // runs past the end of RAM
  EXPECT_EQ(snap.restore(), (std::vector<RestoredRange>{{P, P}}));
  EXPECT_EQ(mem.host(P)[0], 0);
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace dlsim
