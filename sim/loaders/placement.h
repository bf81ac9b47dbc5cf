// Where a loader may put things: RAM that is both guest RAM and usable in the
// e820 map, minus what this load and earlier loads already claimed. Fixed
// placements (ELF segments, a kernel's load address) are checked here; free
// placements (modules, info structures, initrd) are searched here, always in
// address order so the result is deterministic.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/e820.h"
#include "sim/guest_memory.h"
#include "sim/loaders/loaded_image.h"

namespace dlsim {

class Placement {
 public:
  // `e820` empty means every guest RAM byte is usable (plain ELF/flat loads).
  // `avoid` are ranges claimed by earlier loads or by the platform.
  Placement(const GuestMemory& mem, const E820Map& e820, const std::vector<GpaRange>& avoid, std::string file);

  // Claims [addr, addr+len) for `what`. Throws InputError "<file>: <what>
  // [a, b) is outside guest RAM / not usable RAM in the e820 map / overlaps
  // <other>". A zero length claims nothing.
  void claimFixed(uint64_t addr, uint64_t len, const std::string& what);

  // Claims the lowest (or highest) `align`-aligned free range of `len` bytes
  // with min <= start and start + len <= limitEnd. Throws InputError naming
  // `what` when nothing fits. A zero length is treated as one byte.
  uint64_t claimLowest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd, const std::string& what);
  uint64_t claimHighest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd, const std::string& what);
  // The same searches without claiming; false when nothing fits.
  bool findLowest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd, uint64_t& out) const;
  bool findHighest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd, uint64_t& out) const;

  // Ranges claimed by this Placement, in claim order.
  const std::vector<GpaRange>& claimed() const { return claimed_; }
  // Usable RAM ranges [start, end) in ascending order (for tests and messages).
  const std::vector<GpaRange>& usable() const { return usable_; }

 private:
  struct Taken {
    uint64_t start, end;
    std::string what;
  };
  const Taken* conflict(uint64_t start, uint64_t end) const;
  // claimLowest / claimHighest: claims what `search` finds, or throws.
  using Search = bool (Placement::*)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t&) const;
  uint64_t claimSearched(Search search, uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd,
                         const std::string& what);
  std::string file_;
  std::vector<GpaRange> guest_;   // [start, end), merged
  std::vector<GpaRange> usable_;  // [start, end), merged
  std::vector<Taken> taken_;
  std::vector<GpaRange> claimed_;  // [gpa, len)
};

}  // namespace dlsim

namespace dlsim {

// Guest writes a loader has decided on, done only once every check passed,
// so a rejected image leaves guest memory untouched.
class WritePlan {
 public:
  // `bytes` must stay alive until commit().
  void copy(uint64_t gpa, std::span<const uint8_t> bytes) { items_.push_back({gpa, bytes, 0}); }
  void zero(uint64_t gpa, uint64_t len) { items_.push_back({gpa, {}, len}); }
  // Performs the writes in order; a failing write is an InternalError (the
  // ranges were claimed through Placement first).
  void commit(GuestMemory& mem) const;

 private:
  struct Item {
    uint64_t gpa;
    std::span<const uint8_t> bytes;
    uint64_t zeros;
  };
  std::vector<Item> items_;
};

}  // namespace dlsim
