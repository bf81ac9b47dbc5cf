// CodePageWatch: every store to a page with translated code is counted, by
// itself and together with the snapshot write tracker on the same pages.
#include "sim/snapshot/code_page_watch.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "sim/snapshot/ram_snapshot.h"

namespace dlsim {
namespace {

constexpr uint64_t P = kPageSize;
constexpr uint64_t kBase = 0x200000;

// A store the way a CPU engine makes it: straight into the host mapping.
void guestStore(GuestMemory& mem, uint64_t gpa, uint8_t value) { *mem.host(gpa) = value; }

TEST(CodePageWatch, CountsTheFirstStoreToACodePageAndRearms) {
  GuestMemory mem;
  mem.addRam(kBase, 16 * P, "ram");
  CodePageWatch w(mem);
  w.addCodePage(kBase + 3 * P + 17);
  EXPECT_EQ(w.codePageCount(), 1u);
  EXPECT_EQ(w.armedPageCount(), 1u);
  const uint64_t epoch0 = w.epoch();
  const uint32_t writes0 = w.writeCount(kBase + 3 * P);

  guestStore(mem, kBase + 5 * P, 1);  // not a code page: not counted
  EXPECT_EQ(w.epoch(), epoch0);

  guestStore(mem, kBase + 3 * P + 100, 7);
  EXPECT_EQ(*mem.host(kBase + 3 * P + 100), 7);  // the store went through
  EXPECT_EQ(w.writeCount(kBase + 3 * P), writes0 + 1);
  EXPECT_GT(w.epoch(), epoch0);
  EXPECT_EQ(w.armedPageCount(), 0u);

  // Open until rearm(): further stores cost nothing and are not counted.
  guestStore(mem, kBase + 3 * P + 101, 8);
  EXPECT_EQ(w.writeCount(kBase + 3 * P), writes0 + 1);
  w.rearm();
  EXPECT_EQ(w.armedPageCount(), 1u);
  guestStore(mem, kBase + 3 * P, 9);
  EXPECT_EQ(w.writeCount(kBase + 3 * P), writes0 + 2);
}

TEST(CodePageWatch, HostWritesAreCountedToo) {
  GuestMemory mem;
  mem.addRam(kBase, 4 * P, "ram");
  CodePageWatch w(mem);
  w.addCodePage(kBase + P);
  const uint32_t before = w.writeCount(kBase + P);
  const uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_TRUE(mem.write(kBase + P + 4090, bytes, sizeof bytes));  // straddles pages 1 and 2
  EXPECT_EQ(w.writeCount(kBase + P), before + 1);
  uint8_t back[8] = {};
  ASSERT_TRUE(mem.read(kBase + P + 4090, back, sizeof back));
  EXPECT_EQ(std::memcmp(back, bytes, sizeof bytes), 0);
}

TEST(CodePageWatch, ReferenceCountsPagesAcrossEngines) {
  GuestMemory mem;
  mem.addRam(kBase, 4 * P, "ram");
  CodePageWatch w(mem);
  w.addCodePage(kBase);
  w.addCodePage(kBase + 8);
  w.removeCodePage(kBase);
  EXPECT_EQ(w.codePageCount(), 1u);
  w.removeCodePage(kBase + 100);
  EXPECT_EQ(w.codePageCount(), 0u);
  w.removeCodePage(kBase);  // one too many: ignored
  EXPECT_EQ(w.codePageCount(), 0u);
}

TEST(CodePageWatch, SharesPagesWithTheSnapshotTracker) {
  GuestMemory mem;
  mem.addRam(kBase, 8 * P, "ram");
  CodePageWatch w(mem);
  RamSnapshot snap(mem);
  guestStore(mem, kBase + 2 * P, 0x11);
  w.addCodePage(kBase + 2 * P);
  snap.take();

  // One store, two interested parties: the snapshot saves the page, the
  // watch counts it.
  const uint32_t before = w.writeCount(kBase + 2 * P);
  guestStore(mem, kBase + 2 * P, 0x22);
  EXPECT_EQ(w.writeCount(kBase + 2 * P), before + 1);
  EXPECT_EQ(snap.dirtyPageCount(), 1u);

  // A page the snapshot already opened, armed again by the watch: the
  // next store is the watch's alone and must still go through.
  w.rearm();
  guestStore(mem, kBase + 2 * P + 1, 0x33);
  EXPECT_EQ(w.writeCount(kBase + 2 * P), before + 2);

  // Restoring writes the page back: that is a store to code, counted.
  snap.restore();
  EXPECT_EQ(*mem.host(kBase + 2 * P), 0x11);
  EXPECT_GE(w.writeCount(kBase + 2 * P), before + 2);
  w.rearm();
  const uint32_t afterRestore = w.writeCount(kBase + 2 * P);

  // Stopping the snapshot makes all RAM writable without faults: the watch
  // can no longer see stores to its pages, so it counts them as written.
  snap.stop();
  EXPECT_EQ(w.writeCount(kBase + 2 * P), afterRestore + 1);
  w.rearm();
  guestStore(mem, kBase + 2 * P, 0x44);
  EXPECT_EQ(w.writeCount(kBase + 2 * P), afterRestore + 2);
}

TEST(CodePageWatch, CountsStoresIntoAMonitoredLineOnly) {
  GuestMemory mem;
  mem.addRam(kBase, 4 * P, "ram");
  CodePageWatch w(mem);
  const int h = w.watchLine(kBase + P + 0x47);  // line kBase + P + 0x40 .. +0x7f
  const uint32_t before = w.lineWrites(h);
  guestStore(mem, kBase + P + 0x80, 1);  // same page, next line: not this line
  EXPECT_EQ(w.lineWrites(h), before);
  w.rearm();
  guestStore(mem, kBase + P + 0x7f, 0);  // last byte of the line, same value as before
  EXPECT_EQ(w.lineWrites(h), before + 1);
  w.unwatchLine(h);
  EXPECT_EQ(w.codePageCount(), 0u);
}

// A page holding a monitored line is protected again right after every
// store to it, so back-to-back same-value stores into the line all count,
// also after a store elsewhere in the page; a code-only page stays open
// until rearm().
TEST(CodePageWatch, EveryStoreIntoAMonitoredLineCounts) {
  GuestMemory mem;
  mem.addRam(kBase, 4 * P, "ram");
  CodePageWatch w(mem);
  w.addCodePage(kBase + 2 * P);
  const int h = w.watchLine(kBase + P + 0x40);
  const uint32_t codeWrites = w.writeCount(kBase + 2 * P);
  guestStore(mem, kBase + 2 * P + 8, 1);
  guestStore(mem, kBase + 2 * P + 9, 1);
  EXPECT_EQ(w.writeCount(kBase + 2 * P), codeWrites + 1);  // open after the first store
  EXPECT_EQ(w.armedPageCount(), 1u);                      // the line's page only

  const uint32_t before = w.lineWrites(h);
  guestStore(mem, kBase + P + 0x100, 1);  // same page, another line
  EXPECT_EQ(w.lineWrites(h), before);
  EXPECT_EQ(w.armedPageCount(), 1u);  // protected again
  for (int i = 1; i <= 3; ++i) {
    guestStore(mem, kBase + P + 0x40, 0);  // the value the line holds
    EXPECT_EQ(w.lineWrites(h), before + static_cast<uint32_t>(i));
  }
  // A copy across the line (host code, as a device model writes RAM).
  uint8_t zeros[256] = {};
  std::memcpy(mem.host(kBase + P), zeros, sizeof zeros);
  EXPECT_GT(w.lineWrites(h), before + 3);
  EXPECT_EQ(w.armedPageCount(), 1u);
  w.unwatchLine(h);
}

TEST(CodePageWatch, LeavesPagesWritableWhenDestroyed) {
  GuestMemory mem;
  mem.addRam(kBase, 2 * P, "ram");
  {
    CodePageWatch w(mem);
    w.addCodePage(kBase);
  }
  guestStore(mem, kBase, 5);  // would crash if the page were still read-only
  EXPECT_EQ(*mem.host(kBase), 5);
}

}  // namespace
}  // namespace dlsim
