// How one Unicorn engine reaches the bus: which guest-physical ranges it maps
// as MMIO, and how the pieces Unicorn delivers become the guest's accesses.
//
// Ranges: the chipset range Bus::kPlatformHole* (minus RAM) always, so any
// window there, opened or closed at any time, is the bus's business; and the
// pages of every window outside it, re-mapped whenever the bus's windows
// change (the engine observes the bus; an engine created later maps what
// exists then).
//
// Accesses: Unicorn 2.1.1's MMIO regions take at most 4 bytes per call, and
// its softmmu splits an access that is not naturally aligned before the
// region sees it: a load of s bytes at A becomes two aligned loads of s bytes
// at A & ~(s-1) and the s bytes after, a store becomes s byte stores. So a
// device would see an 8-byte access as two 4-byte ones, and a misaligned
// 4-byte read as two aligned reads of bytes the guest never asked for (extra
// pops from a FIFO). At the first piece the engine finds the instruction
// that made the access (the memory operands of the running block, evaluated
// with the registers, which Unicorn writes back before every access: see
// memory_operands.h), makes the one access the instruction made on the bus,
// and serves or collects the remaining pieces (Unicorn's order is fixed:
// ascending, contiguous). Where no instruction of the block explains a piece
// (a 16-byte SSE access, an access straddling RAM and MMIO, a block too large
// to cache), the piece goes to the bus as it came.
//
// Cost: MMIO accesses only (the block hook is untouched). Each block's memory
// operands are decoded once and kept while its bytes stay the same; a piece
// that only one size of operand could have made is passed on without looking
// at the registers. The TIS driver guest's PCR_Extend round trip
// (dlsim-tpm-bench, "from guest code via TIS") went from about 25 to 35-49
// host microseconds on the 2-core CI machine.
#pragma once
#include <unicorn/unicorn.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "cpu_model/memory_operands.h"
#include "sim/bus.h"

namespace dlsim {

class Engine;

// Where Unicorn's pieces of one guest access of `size` bytes at `addr` start
// and end, and the size of the first (size 1, 2, 4 or 8).
struct AccessPieces {
  uint64_t first = 0;
  unsigned firstSize = 0;
  uint64_t end = 0;
};
AccessPieces unicornPieces(uint64_t addr, unsigned size, bool write);

class EngineMmio : private MmioMapObserver {
 public:
  explicit EngineMmio(Engine& engine);
  ~EngineMmio() override;
  EngineMmio(const EngineMmio&) = delete;
  EngineMmio& operator=(const EngineMmio&) = delete;

 private:
  // One block instance: the same block run again is another instance.
  struct Instance {
    uint64_t block = ~0ull;
    uint64_t time = 0;
    uint64_t blocksLeft = 0;
    bool operator==(const Instance&) const = default;
  };
  struct GuestAccess {
    uint64_t addr = 0;
    unsigned size = 0;
  };
  // An access whose pieces are still coming.
  struct Pending {
    bool write = false;
    GuestAccess access;
    uint64_t value = 0;  // read: the device's answer; write: the bytes so far
    uint64_t next = 0;   // where the next piece starts
    uint64_t end = 0;
    Instance instance;
  };
  struct Aperture {
    uint64_t base = 0;
    uint64_t size = 0;
    bool operator==(const Aperture&) const = default;
  };

  void mmioWindowsChanged() override;
  std::vector<Aperture> wantedApertures() const;
  void map(const Aperture& a);

  static uint64_t onRead(uc_engine* uc, uint64_t offset, unsigned size, void* user);
  static void onWrite(uc_engine* uc, uint64_t offset, unsigned size, uint64_t value, void* user);
  uint64_t read(uint64_t addr, unsigned size);
  void write(uint64_t addr, unsigned size, uint64_t value);
  Instance instance() const;
  // The guest access whose first piece is (addr, size), or nullopt.
  std::optional<GuestAccess> identify(uint64_t addr, unsigned size, bool write, const Instance& in);

  Engine& engine_;
  std::vector<Aperture> mapped_;
  std::vector<std::unique_ptr<std::pair<EngineMmio*, uint64_t>>> users_;  // (this, aperture base), kept
  std::optional<Pending> pending_;
  BlockMemoryOperands operands_;
  // The next instruction of the block instance a read / write may come from
  // (a read-modify-write instruction reads, then writes).
  Instance cursorInstance_;
  uint32_t nextRead_ = 0, nextWrite_ = 0;
};

}  // namespace dlsim
