// WriteTracker: the SIGSEGV handler takes first stores to tracked pages and
// nothing else; foreign faults still kill the process or reach the handler
// installed before it; the mapping-limit fallback stays exact.
#include "sim/snapshot/write_tracker.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "sim/guest_memory.h"
#include "sim/snapshot/ram_snapshot.h"

namespace dlsim {
namespace {

constexpr uint64_t P = kPageSize;

// A page-aligned anonymous buffer owned by the test.
struct Buffer {
  explicit Buffer(uint64_t bytes, int prot = PROT_READ | PROT_WRITE) : size(bytes) {
    void* m = mmap(nullptr, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    p = m == MAP_FAILED ? nullptr : static_cast<uint8_t*>(m);
  }
  ~Buffer() {
    if (p) munmap(p, size);
  }
  uint8_t* p;
  uint64_t size;
};

struct HookLog {
  std::vector<uint64_t> pages;  // reserved up front: the hook may not allocate
  std::vector<uint8_t> before;  // first byte of each page when the hook ran
  const uint8_t* host = nullptr;
};

void logHook(void* ctx, uint64_t page) noexcept {
  auto* log = static_cast<HookLog*>(ctx);
  log->pages.push_back(page);
  log->before.push_back(log->host[page * P]);
}

TEST(WriteTracker, HookSeesContentBeforeTheStoreOncePerPage) {
  Buffer buf(8 * P);
  ASSERT_NE(buf.p, nullptr);
  for (uint64_t i = 0; i < 8; ++i) buf.p[i * P] = static_cast<uint8_t>(0x10 + i);
  HookLog log;
  log.pages.reserve(64);
  log.before.reserve(64);
  log.host = buf.p;
  WriteTracker t(buf.p, buf.size, &logHook, &log);
  t.start();
  buf.p[5 * P] = 0xff;
  buf.p[5 * P + 1] = 0xfe;  // same page: no second fault
  buf.p[2 * P + 100] = 1;
  EXPECT_EQ(log.pages, (std::vector<uint64_t>{5, 2}));
  EXPECT_EQ(log.before, (std::vector<uint8_t>{0x15, 0x12}));
  EXPECT_TRUE(t.isDirty(5));
  EXPECT_FALSE(t.isDirty(4));
  EXPECT_EQ(t.dirtyPageCount(), 2u);
  // Reads never fault.
  EXPECT_EQ(buf.p[7 * P], 0x17);
  EXPECT_EQ(t.dirtyPageCount(), 2u);

  std::vector<uint64_t> seenWritable;
  const auto runs = t.reprotectDirty([&](const WriteTracker::PageRun& r) {
    seenWritable.push_back(r.first);
    buf.p[r.first * P + 2] = 0x42;  // still writable inside the callback: no fault
  });
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].first, 2u);
  EXPECT_EQ(runs[1].first, 5u);
  EXPECT_EQ(seenWritable, (std::vector<uint64_t>{2, 5}));
  EXPECT_EQ(log.pages.size(), 2u);
  buf.p[5 * P] = 0;  // protected again: faults once more
  EXPECT_EQ(log.pages, (std::vector<uint64_t>{5, 2, 5}));
  t.stop();
  buf.p[6 * P] = 0;  // untracked
  EXPECT_EQ(log.pages.size(), 3u);
}

TEST(WriteTrackerDeathTest, SegfaultOutsideTrackedMemoryIsNotSwallowed) {
  GuestMemory mem;
  mem.addRam(0, 4 * P, "ram");
  RamSnapshot snap(mem);
  snap.take();
  mem.host(0)[0] = 1;  // the handler is live and working
  ASSERT_EQ(snap.dirtyPageCount(), 1u);
  Buffer none(P, PROT_NONE);
  ASSERT_NE(none.p, nullptr);
  EXPECT_DEATH(*reinterpret_cast<volatile uint8_t*>(none.p) = 1, "");
  EXPECT_DEATH((void)*reinterpret_cast<volatile uint8_t*>(none.p), "");
  Buffer readOnly(P, PROT_READ);
  ASSERT_NE(readOnly.p, nullptr);
  EXPECT_DEATH(*reinterpret_cast<volatile uint8_t*>(readOnly.p) = 1, "");
}

TEST(WriteTrackerDeathTest, TrackedPageMadeUnreadableBySomeoneElseStillCrashes) {
  GuestMemory mem;
  mem.addRam(0, 4 * P, "ram");
  RamSnapshot snap(mem);
  snap.take();
  mem.host(0)[0] = 1;  // page 0 dirty and writable
  // A fault on a page the tracker already opened is not a first store: chain.
  ASSERT_EQ(mprotect(mem.host(0), P, PROT_NONE), 0);
  EXPECT_DEATH(*reinterpret_cast<volatile uint8_t*>(mem.host(0)) = 2, "");
  ASSERT_EQ(mprotect(mem.host(0), P, PROT_READ | PROT_WRITE), 0);
}

void earlierHandler(int, siginfo_t*, void*) {
  const char msg[] = "earlier handler got the fault\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
  _exit(7);
}

void earlierTrapHandler(int, siginfo_t*, void*) {
  const char msg[] = "earlier handler got the trap\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
  _exit(8);
}

// Installs `handler` for `sig` the way another library would, before ours.
void installBefore(int sig, void (*handler)(int, siginfo_t*, void*)) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, nullptr);
}

// Four pages of RAM under a taken snapshot: the handlers are installed.
struct TrackedRam {
  TrackedRam() {
    mem.addRam(0, 4 * P, "ram");
    snap.take();
  }
  GuestMemory mem;
  RamSnapshot snap{mem};
};

// Runs the death tests of its scope in the "threadsafe" style, which re-runs
// the test alone in a fresh process, so our handlers are installed there
// after the ones a test installs first.
class ThreadsafeDeathTests {
 public:
  ThreadsafeDeathTests() : style_(GTEST_FLAG_GET(death_test_style)) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
  }
  ~ThreadsafeDeathTests() { GTEST_FLAG_SET(death_test_style, style_); }

 private:
  std::string style_;
};

TEST(WriteTrackerDeathTest, ForeignFaultsReachTheHandlerInstalledBefore) {
  ThreadsafeDeathTests threadsafe;
  EXPECT_EXIT(
      {
        installBefore(SIGSEGV, earlierHandler);
        TrackedRam ram;
        ram.mem.host(0)[3 * P] = 5;  // ours: handled, not chained
        if (ram.snap.dirtyPageCount() != 1 || ram.mem.host(0)[3 * P] != 5) _exit(1);
        Buffer none(P, PROT_NONE);
        *reinterpret_cast<volatile uint8_t*>(none.p) = 1;
        _exit(2);
      },
      testing::ExitedWithCode(7), "earlier handler got the fault");
}

// The SIGTRAP handler (single-stepped stores) passes every other trap on: to
// the handler installed before it, or to the default action.
TEST(WriteTrackerDeathTest, ForeignTrapsReachTheHandlerInstalledBefore) {
  ThreadsafeDeathTests threadsafe;
  EXPECT_EXIT(
      {
        installBefore(SIGTRAP, earlierTrapHandler);
        TrackedRam ram;
        asm volatile("int3");
        _exit(2);
      },
      testing::ExitedWithCode(8), "earlier handler got the trap");
  EXPECT_EXIT(
      {
        TrackedRam ram;
        asm volatile("int3");
        _exit(2);
      },
      testing::KilledBySignal(SIGTRAP), "");
}

uint64_t maxMapCount() {
  std::ifstream f("/proc/sys/vm/max_map_count");
  uint64_t n = 0;
  f >> n;
  return n;
}

TEST(WriteTracker, MappingLimitFallsBackToBlocksAndStaysExact) {
  const uint64_t limit = maxMapCount();
  if (limit == 0 || limit > 200000) GTEST_SKIP() << "vm.max_map_count is " << limit;
  // Every other page written: each costs two mappings. The tracker switches
  // to blocks after limit/4 opens, well before the kernel's limit (where
  // AddressSanitizer's own allocations would fail); enough pages for the
  // kernel limit itself in case that fallback is needed.
  const uint64_t pages = (limit + 20000) * 2;
  GuestMemory mem;
  mem.addRam(0, pages * P, "ram");
  uint8_t* h = mem.host(0);
  RamSnapshot snap(mem);
  snap.take();
  std::vector<uint64_t> written;
  written.reserve(pages / 2);
  uint64_t afterFirstWiden = 0;
  for (uint64_t page = 0; page < pages && afterFirstWiden < 64; page += 2) {
    h[page * P + 1] = 0x5a;
    written.push_back(page);
    if (snap.widenedFaults() > 0) ++afterFirstWiden;
  }
  ASSERT_GT(snap.widenedFaults(), 0u) << "the mapping budget was never reached";
  const uint64_t dirty = snap.dirtyPageCount();
  EXPECT_GT(dirty, written.size());  // blocks opened whole
  EXPECT_LT(dirty, written.size() + 64 * 512);
  EXPECT_EQ(snap.savedPageCount(), 0u);  // all pages were zero

  const auto ranges = snap.restore();
  uint64_t restoredPages = 0;
  for (const auto& r : ranges) restoredPages += r.size / P;
  EXPECT_EQ(restoredPages, dirty);
  size_t ri = 0;
  for (uint64_t page : written) {  // every written page lies in a restored range
    while (ri < ranges.size() && ranges[ri].gpa + ranges[ri].size <= page * P) ++ri;
    ASSERT_LT(ri, ranges.size());
    ASSERT_LE(ranges[ri].gpa, page * P);
    ASSERT_EQ(h[page * P + 1], 0);
  }
  // After the restore the mapping is whole again: single pages can be opened.
  const uint64_t widened = snap.widenedFaults();
  h[1] = 1;
  EXPECT_EQ(snap.widenedFaults(), widened);
  EXPECT_EQ(snap.dirtyPageCount(), 1u);
}

}  // namespace
}  // namespace dlsim
