// Prints what a first store to a page and a restored page cost (no timing
// assertions: the machine is shared). The numbers go into the design notes.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "sim/guest_memory.h"
#include "sim/snapshot/ram_snapshot.h"

namespace dlsim {
namespace {

double microsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

TEST(SnapshotCost, PrintsFirstStoreAndRestoreCosts) {
  GuestMemory mem;
  const uint64_t ramPages = 1u << 20;  // 4 GiB, sparse
  mem.addRam(0, ramPages * kPageSize, "ram");
  uint8_t* h = mem.host(0);
  // Half the pages get content before take(), so both the copy and the
  // all-zero paths are measured.
  for (uint64_t p = 0; p < 8192; p += 2) h[p * kPageSize] = 1;
  RamSnapshot snap(mem);
  auto t0 = std::chrono::steady_clock::now();
  snap.take();
  std::printf("take() over 4 GiB: %.1f us\n", microsSince(t0));
  for (uint64_t n : {16u, 256u, 4096u}) {
    for (int cycle = 0; cycle < 2; ++cycle) {
      t0 = std::chrono::steady_clock::now();
      for (uint64_t p = 0; p < n; ++p) h[p * 2 * kPageSize + 8] = static_cast<uint8_t>(cycle + 2);
      const double store = microsSince(t0);
      ASSERT_EQ(snap.dirtyPageCount(), n);
      t0 = std::chrono::steady_clock::now();
      const auto ranges = snap.restore();
      const double restore = microsSince(t0);
      ASSERT_EQ(ranges.size(), n);
      std::printf("%5llu pages, cycle %d: first store %.2f us/page, restore %.2f us/page\n",
                  static_cast<unsigned long long>(n), cycle, store / n, restore / n);
    }
  }
  for (uint64_t p = 0; p < 8192; ++p) ASSERT_EQ(h[p * kPageSize + 8], 0) << p;
}

}  // namespace
}  // namespace dlsim
