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
// at A & ~(s-1) and the s bytes after, a store becomes s byte stores; a
// 16-byte SSE access is two 8-byte ones (A, then A+8), each split so; and
// only the pieces in MMIO reach the engine (the RAM part of an access that
// straddles RAM and MMIO goes to RAM). So a device would see an 8-byte access
// as two 4-byte ones, a misaligned 4-byte read as two aligned reads of bytes
// the guest never asked for (extra pops from a FIFO), and the MMIO part of a
// straddling access as an aligned read of bytes outside it. At the first
// piece in MMIO the engine finds the instruction that made the access (the
// memory operands of the running block, evaluated with the registers, which
// Unicorn writes back before every access: see memory_operands.h), makes the
// access's MMIO part on the bus as one access (Bus::mmioReadBytes/
// mmioWriteBytes: whole where it fits a window, else split as each window
// declares, sim/bus.h), and serves or collects the remaining pieces
// (Unicorn's order is fixed). Where no instruction of the block explains a
// piece (an x87 10-byte or FXSAVE-area access, a descriptor-table load), the
// piece goes to the bus as it came.
//
// Cost: MMIO accesses only (the block hook is untouched). Each block's memory
// operands are decoded once and kept while its bytes stay the same; a piece
// that only one size of operand could have made is passed on without looking
// at the registers. The TIS driver guest's PCR_Extend round trip
// (dlsim-tpm-bench, "from guest code via TIS") went from about 25 to 35-49
// host microseconds on the 2-core CI machine.
#pragma once
#include <unicorn/unicorn.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "cpu_model/memory_operands.h"
#include "sim/bus.h"

namespace dlsim {

class Engine;

// One piece Unicorn hands an MMIO region: `size` bytes at `address`.
struct AccessPiece {
  uint64_t address = 0;
  unsigned size = 0;
  bool operator==(const AccessPiece&) const = default;
};
// The pieces, in order, of a guest access of `size` bytes (1, 2, 4, 8 or 16)
// at `addr` if all of it were MMIO (one address space: linear or physical).
std::vector<AccessPiece> unicornPieces(uint64_t addr, unsigned size, bool write);

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
  // A piece of a guest access that lands in MMIO: physical address, size,
  // and where its first byte sits relative to the access's first (a piece of
  // a misaligned load starts before the access or ends after it).
  struct MmioPiece {
    uint64_t physical = 0;
    unsigned size = 0;
    int64_t offset = 0;
  };
  // A run of the access's bytes that lies in MMIO at consecutive physical
  // addresses: made on the bus as one access.
  struct Run {
    uint64_t physical = 0;
    unsigned offset = 0;
    unsigned size = 0;
  };
  struct GuestAccess {
    unsigned size = 0;                // 1 to 16
    std::vector<MmioPiece> pieces;    // in the order Unicorn hands them over
    std::vector<Run> runs;
  };
  // An access whose pieces are still coming.
  struct Pending {
    bool write = false;
    GuestAccess access;
    std::array<uint8_t, 16> bytes{};  // read: the devices' answer; write: the bytes so far
    size_t next = 0;                   // index of the next piece
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
  // The guest access whose first piece in MMIO is (addr, size), or nullopt.
  std::optional<GuestAccess> identify(uint64_t addr, unsigned size, bool write, const Instance& in);
  // The access of `size` bytes at `linear` as Unicorn hands it over, if its
  // first piece in MMIO is (addr, size).
  std::optional<GuestAccess> accessAt(uint64_t linear, unsigned size, bool write, uint64_t addr, unsigned pieceSize);
  bool inAperture(uint64_t physical) const;
  // The piece (addr, size) is the next one of the pending access.
  bool isNextPiece(bool write, uint64_t addr, unsigned size, const Instance& in) const;
  // The access is that one piece, whole (the bus takes it as it came).
  static bool isWholePiece(const GuestAccess& a, uint64_t addr, unsigned size);

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
