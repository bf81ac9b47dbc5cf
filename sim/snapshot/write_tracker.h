// Finds out which pages of a host memory range (guest RAM) were written, at a
// cost per page written rather than per page of RAM: the range is made
// read-only, and the first store to each page - by any Unicorn engine sharing
// the buffer, or by host code - faults into a process-wide SIGSEGV handler
// that records the page, lets the owner save its old content, makes the page
// writable and returns so the store is retried.
//
// The handler chains to whatever SIGSEGV handler was installed before it
// (AddressSanitizer's, GoogleTest's, or the default action) for every fault
// that is not a first store to a page this code protected, so genuine crashes
// still crash. A SIGTRAP handler, installed with it, ends the single-stepped
// stores an observer asks for (WriteFaultObserver::stepStoresTo) and chains
// every other trap the same way.
//
// Threads: the fault path is safe when several threads store concurrently
// (a per-page atomic state decides which thread opens a page; the dirty list
// append is an atomic increment). start(), stop() and reprotectDirty() must
// be called while no other thread stores into the range; dlsim runs all guest
// CPUs on one thread, so this holds by construction.
//
// Limits: stores made by the kernel on our behalf (read(2) into guest RAM,
// for instance) do not fault - they fail with EFAULT; call openPages() on the
// destination first. The host keeps a limit on mappings per process
// (vm.max_map_count, 65530 by default); every isolated writable page in the
// read-only range costs two, and the rest of the process (malloc,
// AddressSanitizer) needs some too. After max_map_count/4 opens (all trackers
// together, until their next reprotect), or when the kernel refuses to split
// the range further, the handler opens the aligned block of 16, then 512
// pages around the faulting page (all of them counted as dirty, their content
// saved), so the tracking stays exact but coarser; see widenedFaults().
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/snapshot/sparse_mapping.h"

namespace dlsim {

// A second user of write protection on guest RAM (the code-page watch, see
// code_page_watch.h) plugs into the same SIGSEGV handler, because one fault
// can concern both: the watch hears of every write fault first, then the
// trackers handle it. Both functions run inside the signal handler and must
// be async-signal-safe.
struct WriteFaultObserver {
  // A write fault at host address `addr`. Returns true when the page was
  // write-protected for the observer's sake and must now be opened (the
  // observer has recorded the write); the handler opens the page unless a
  // tracker claims the fault. Every observer hears every write fault.
  virtual bool onWriteFault(uintptr_t addr) noexcept = 0;
  // [begin, end) just became writable without faulting (a tracker stopped,
  // opened a block or opened pages for the kernel): the observer can no
  // longer see stores there and must treat watched pages in it as written.
  virtual void onRangeOpened(uintptr_t begin, uintptr_t end) noexcept = 0;
  // True when the observer must see every store to the page holding `addr`,
  // not only the first: the handler then lets the faulting store run alone
  // (the host CPU's trap flag) and calls afterStep() with the page's host
  // address right after it, so the observer can protect the page again.
  virtual bool stepStoresTo(uintptr_t addr) const noexcept {
    (void)addr;
    return false;
  }
  virtual void afterStep(uintptr_t page) noexcept { (void)page; }
 protected:
  ~WriteFaultObserver() = default;
};
// Observers are asked in the order they were added (at most 64 at once;
// throws InternalError beyond). Adding installs the handler.
void addWriteFaultObserver(WriteFaultObserver* observer);
void removeWriteFaultObserver(WriteFaultObserver* observer) noexcept;

class WriteTracker {
 public:
  // Called with the page index (relative to the range start) before the page
  // becomes writable: its content is still the content before the store. Runs
  // inside the signal handler: it must be async-signal-safe (no allocation,
  // no locks, no exceptions). Called once per page per dirtying.
  using FirstWriteHook = void (*)(void* ctx, uint64_t page) noexcept;

  struct PageRun {
    uint64_t first = 0;  // page index relative to the range start
    uint64_t count = 0;
  };

  // `host` and `size` must be multiples of kPageSize (which must equal the
  // host page size); throws InternalError otherwise. Nothing is protected
  // until start().
  WriteTracker(uint8_t* host, uint64_t size, FirstWriteHook hook, void* ctx);
  ~WriteTracker();
  WriteTracker(const WriteTracker&) = delete;
  WriteTracker& operator=(const WriteTracker&) = delete;

  // Makes the whole range read-only and starts recording first stores.
  void start();
  // Makes the whole range writable again and forgets the dirty pages.
  void stop() noexcept;
  bool active() const { return active_; }

  uint64_t pageCount() const { return pages_; }
  uint64_t dirtyPageCount() const { return dirtyCount_.load(std::memory_order_acquire); }
  bool isDirty(uint64_t page) const;
  // Faults that had to open a whole block because the kernel refused to
  // split the mapping for one page.
  uint64_t widenedFaults() const { return widened_.load(std::memory_order_relaxed); }

  // Treats pages [first, first+count) as if they had just been stored to
  // (hook called, page recorded, made writable) without a fault. For host
  // code that hands guest RAM to the kernel as a destination buffer.
  void openPages(uint64_t first, uint64_t count);

  // For each maximal run of dirty pages, in ascending order: calls
  // `whileWritable(run)` (the run is still writable; the callback must not
  // throw), then makes the run read-only again. Afterwards no page is dirty.
  // Returns the runs. Cost: O(d log d) for d dirty pages plus one mprotect
  // per run; independent of the range size.
  std::vector<PageRun> reprotectDirty(const std::function<void(const PageRun&)>& whileWritable);

  // Used by the signal handler: true when the fault at `addr` was a first
  // store to a page protected by this tracker and the page is now writable
  // (or is being opened by another thread), so the store may be retried.
  bool handleWriteFault(uintptr_t addr) noexcept;
  bool contains(uintptr_t addr) const {
    return addr >= reinterpret_cast<uintptr_t>(host_) && addr - reinterpret_cast<uintptr_t>(host_) < size_;
  }

 private:
  bool openPage(uint64_t page) noexcept;
  bool openBlockAround(uint64_t page, size_t firstLevel) noexcept;
  void countOpen() noexcept;
  void forgetOpens() noexcept;
  void finishOpen(uint64_t page) noexcept;
  uint8_t* pageAddr(uint64_t page) const { return host_ + page * kPageBytes; }

  static constexpr uint64_t kPageBytes = 4096;

  uint8_t* host_;
  uint64_t size_;
  uint64_t pages_;
  FirstWriteHook hook_;
  void* ctx_;
  bool active_ = false;
  int slot_ = -1;  // index in the process-wide registry while active
  SparseMapping state_;      // one byte per page (PageState)
  SparseMapping dirtyList_;  // uint64_t page indices, in order of first store
  std::atomic<uint64_t> dirtyCount_{0};
  std::atomic<uint64_t> widened_{0};
  std::atomic<uint64_t> opens_{0};  // successful mprotect opens since the last reprotect
};

}  // namespace dlsim
