// Tells CPUs when guest code they translated may have been overwritten by
// another CPU. Unicorn keeps code coherent only inside one engine (its own
// stores to its own translated pages); every CPU has its own engines, so a
// store by CPU A into code CPU B translated is invisible to B's engine.
//
// Pages that hold translated code (of any engine) are write-protected on the
// host. The first store to such a page - by any engine or by host code -
// faults; the watch bumps the page's write count and the global epoch and
// lets the store through (the page stays writable until rearm()). Before a
// CPU runs, it compares the epoch with the one it last saw and, when it
// moved, re-checks the code of the pages whose write count changed (see
// Engine::validateCode): blocks whose bytes changed are dropped.
//
// MONITOR/MWAIT uses the same faults: a store to a monitored 64-byte line
// wakes a waiting CPU even when it writes the value the line already held.
// A page holding a monitored line is protected again right after each store
// to it (the fault handler single-steps the store), so every store into the
// line is counted, however many share a basic block with it. Stores to such
// a page cost two signals each while the line is watched.
//
// rearm() protects the opened pages again; the scheduler calls it at every
// quantum end, so a store made while a page is open is always one the next
// CPU to run will see counted. A page on which mprotect fails (host mapping
// limit) is counted as written at every rearm().
//
// It shares the SIGSEGV handler with the snapshot write tracker
// (write_tracker.h): both may want the same page read-only, and one fault can
// concern both.
//
// Threads: add/remove/rearm on the thread that runs the CPUs (dlsim runs all
// CPUs on one thread); the fault path is async-signal-safe.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/guest_memory.h"
#include "sim/snapshot/sparse_mapping.h"
#include "sim/snapshot/write_tracker.h"

namespace dlsim {

class CodePageWatch final : public WriteFaultObserver {
 public:
  // Watches the RAM regions `mem` has now (regions added later are not
  // watched: their code pages count as written at every rearm()).
  explicit CodePageWatch(GuestMemory& mem);
  ~CodePageWatch();
  CodePageWatch(const CodePageWatch&) = delete;
  CodePageWatch& operator=(const CodePageWatch&) = delete;

  // An engine now holds code translated from the page containing `gpa` /
  // no longer does. Reference counted across engines.
  void addCodePage(uint64_t gpa);
  void removeCodePage(uint64_t gpa);

  // Moves whenever any watched page may have been written.
  uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }
  // Moves whenever the page containing `gpa` may have been written.
  uint32_t writeCount(uint64_t gpa) const;

  // Counts stores into the 64-byte line at `gpa` (its page is armed like a
  // code page meanwhile). Returns a handle for lineWrites()/unwatchLine().
  int watchLine(uint64_t gpa);
  void unwatchLine(int handle);
  uint32_t lineWrites(int handle) const { return lines_[handle].writes.load(std::memory_order_acquire); }

  // Protects again every code page a store opened since the last call.
  void rearm();

  // Pages with code, and how many are write-protected now (for tests).
  size_t codePageCount() const { return codePages_.size(); }
  size_t armedPageCount() const;

  bool onWriteFault(uintptr_t addr) noexcept override;
  void onRangeOpened(uintptr_t begin, uintptr_t end) noexcept override;
  // Every store to a page holding a watched line faults on its own: the
  // page is protected again right after the store (see write_tracker.h).
  bool stepStoresTo(uintptr_t addr) const noexcept override;
  void afterStep(uintptr_t page) noexcept override;

 private:
  struct PageState {
    uint32_t refs;                // engines' code on the page (host thread only)
    std::atomic<uint32_t> writes;
    std::atomic<uint8_t> armed;   // 1: write-protected for the watch
  };
  struct Region {
    uint64_t base = 0;
    uint64_t size = 0;
    uint8_t* host = nullptr;
    SparseMapping pages;  // PageState per page
    PageState& page(uint64_t gpa) const { return pages.as<PageState>()[(gpa - base) / kPageSize]; }
  };
  Region* regionOf(uint64_t gpa) const;
  Region* regionOfHost(uintptr_t addr) const noexcept;
  bool arm(Region& r, uint64_t pageGpa);
  void disarm(PageState& p) noexcept;

  struct Line {
    std::atomic<uint64_t> gpa{~0ull};  // ~0: free slot
    std::atomic<uint32_t> writes{0};
  };
  void countLineStores(uint64_t lo, uint64_t hi) noexcept;
  bool pageHasLine(uint64_t pageGpa) const noexcept;
  static constexpr int kMaxLines = 64;  // one per CPU
  Line lines_[kMaxLines];

  std::vector<std::unique_ptr<Region>> regions_;
  std::vector<uint64_t> codePages_;  // sorted page addresses with refs > 0
  std::atomic<uint64_t> epoch_{0};
  std::atomic<uint64_t> opened_{0};  // disarm events since the last rearm()
  uint64_t unwatchable_ = 0;         // code pages mprotect refused or outside the regions
};

}  // namespace dlsim
