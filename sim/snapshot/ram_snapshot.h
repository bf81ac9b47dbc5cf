// A snapshot of all guest RAM that can be restored over and over, at a cost
// that grows with the pages written since the last restore rather than with
// the size of RAM. take() write-protects every RAM region (see
// write_tracker.h); the first store to a page, by any CPU engine or by host
// code (GuestMemory::write included), saves the page's content as it was at
// take() (pages that were all zero are only marked, not copied). restore()
// copies back exactly the pages written since, re-protects them and returns
// them, so the caller can drop translated code and notify write listeners
// (nothing here calls GuestMemory listeners).
//
// The pristine copy of a page is kept after a restore: a page written again in
// a later cycle is not copied again.
//
// Lifetime: a RamSnapshot must be stopped or destroyed before the GuestMemory
// it watches (it changes the protection of its host mappings). Regions added
// after take() are not covered; restore() refuses to run then (take() again).
// Threads: see write_tracker.h - take/restore/stop while no CPU is running.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/guest_memory.h"
#include "sim/snapshot/sparse_mapping.h"
#include "sim/snapshot/write_tracker.h"

namespace dlsim {

// Guest physical range [gpa, gpa+size), page aligned.
struct RestoredRange {
  uint64_t gpa = 0;
  uint64_t size = 0;
  bool operator==(const RestoredRange&) const = default;
};

class RamSnapshot {
 public:
  explicit RamSnapshot(GuestMemory& mem) : mem_(mem) {}
  ~RamSnapshot() { stop(); }
  RamSnapshot(const RamSnapshot&) = delete;
  RamSnapshot& operator=(const RamSnapshot&) = delete;

  // Records the current content of all RAM as the state restore() returns to
  // (replacing any earlier snapshot). Reads no RAM; costs a few mappings and
  // one mprotect per region.
  void take();

  // Brings every page written since take() or the previous restore() back to
  // its content at take(), and write-protects those pages again. Returns the
  // restored pages as maximal guest physical ranges in ascending order.
  // Throws InternalError when no snapshot is active or the RAM regions changed.
  std::vector<RestoredRange> restore();

  // Stops tracking: RAM becomes plainly writable, the saved copies are freed.
  void stop() noexcept;

  bool active() const { return !regions_.empty(); }
  // Pages written since take() or the last restore().
  uint64_t dirtyPageCount() const;
  // Pristine page copies held (all-zero pages need none).
  uint64_t savedPageCount() const;
  // First stores that opened a whole block (see WriteTracker::widenedFaults).
  uint64_t widenedFaults() const;

  // Host code that lets the kernel write guest RAM (read(2) into host(gpa))
  // must call this first: such stores do not fault, they fail with EFAULT.
  // Returns false (and does nothing) when the range is not all RAM.
  bool prepareHostWrite(uint64_t gpa, uint64_t len);

 private:
  // One RAM region being tracked. Lives at a fixed address (the signal
  // handler's hook gets a pointer to it).
  struct Region {
    uint64_t base = 0;
    uint64_t size = 0;
    uint8_t* host = nullptr;
    SparseMapping pristine;  // page i's content at take() at offset i * kPageSize
    SparseMapping saved;     // per page: SavedAs
    std::atomic<uint64_t> copies{0};
    std::unique_ptr<WriteTracker> tracker;
  };
  static void onFirstWrite(void* ctx, uint64_t page) noexcept;
  static void restoreRun(Region& r, const WriteTracker::PageRun& run);

  GuestMemory& mem_;
  std::vector<std::unique_ptr<Region>> regions_;
};

}  // namespace dlsim
