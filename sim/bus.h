// The platform bus: MMIO windows and I/O port ranges, each owned by one
// Device. Mapping a range that overlaps another throws InputError naming both.
// Accesses that hit nothing read all ones and drop writes, as on a PC, and are
// recorded so the report can name them.
//
// Windows change while the machine runs: a model maps, unmaps, enables and
// disables them (TXT's private space opens and closes); a disabled window
// keeps its range but reads all ones like an unclaimed address. The CPUs'
// engines route the whole chipset range kPlatformHole* to the bus, whatever
// is mapped there now, and map windows outside it when told (observers).
// Every access carries its AccessContext: the requester (a CPU, a DMA
// requester id, the platform) and the TPM locality where the platform knows it.
//
// A device sees each access once, whole, at the address and in the size the
// instruction used (1, 2, 4 or 8 bytes, misaligned as made), when the access
// lies inside its window. An access that cannot arrive whole (wider than 8
// bytes: SSE's 16; or running past the window's start or end: into RAM,
// another window or nothing) reaches each window as that window's part,
// split as the window declares (MmioSplit, per window, queryable with
// splitAt(); docs/bus.md shows each case). The part outside every
// enabled window reads all ones and is recorded as unclaimed.
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "sim/device.h"

namespace dlsim {

// How a window takes the part of an access that cannot arrive whole.
enum class MmioSplit : uint8_t {
  // Ascending pieces, each the largest of 8, 4, 2 and 1 bytes that is
  // naturally aligned at its address and fits in what is left: an aligned
  // 16-byte access arrives as two 8-byte ones; 3 bytes at an aligned
  // address as 2 then 1.
  kAligned = 0,
  // Ascending one-byte accesses (a FIFO register that counts bytes).
  kBytes = 1,
};
// "aligned" or "bytes".
const char* mmioSplitName(MmioSplit split);

struct MmioWindow {
  uint64_t base = 0;
  uint64_t size = 0;
  Device* device = nullptr;
  bool enabled = true;
  MmioSplit split = MmioSplit::kAligned;
};

struct PortRange {
  uint16_t base = 0;
  uint32_t count = 0;
  Device* device = nullptr;
};

struct UnclaimedAccess {
  bool mmio = true;
  bool write = false;
  int cpu = AccessContext::kNoCpu;
  uint64_t address = 0;
  unsigned size = 0;
  uint64_t value = 0;
  Requester requester = Requester::kCpu;
};

// Told after every change of the MMIO windows (engines map windows outside
// the platform hole).
class MmioMapObserver {
 public:
  virtual ~MmioMapObserver() = default;
  virtual void mmioWindowsChanged() = 0;
};

class Bus {
 public:
  // The chipset's MMIO range below 4 GiB (I/O APIC, HPET, TXT, TPM, local
  // APIC, VT-d...): every CPU engine sends accesses anywhere in it (RAM
  // excepted) to the bus, so an address no device claims there reads all
  // ones instead of stopping the run, and windows opened there later need
  // no engine change.
  static constexpr uint64_t kPlatformHoleBase = 0xFEC00000;
  static constexpr uint64_t kPlatformHoleSize = 0x00400000;

  // Map, unmap, enable and disable at any time (observers are told).
  void mapMmio(uint64_t base, uint64_t size, Device* dev, MmioSplit split = MmioSplit::kAligned);
  // Removes the window at `base`; InternalError when there is none.
  void unmapMmio(uint64_t base);
  // A disabled window reads all ones and drops writes (recorded as unclaimed).
  void setMmioEnabled(uint64_t base, bool enabled);
  void mapPorts(uint16_t base, uint32_t count, Device* dev);
  // Puts back windows as mmioWindows() returned them (machine snapshots).
  void restoreMmioWindows(const std::vector<MmioWindow>& windows);

  const std::vector<MmioWindow>& mmioWindows() const { return mmio_; }
  const std::vector<PortRange>& portRanges() const { return ports_; }

  // Finds the window containing addr (enabled or not), or nullptr.
  const MmioWindow* findMmio(uint64_t addr) const;
  // The split the window containing addr declares (kAligned where none).
  MmioSplit splitAt(uint64_t addr) const;

  // ctx.address is set to the absolute address by the bus. size is 1 to 8;
  // an access that is not whole inside one window goes as mmioReadBytes.
  uint64_t mmioRead(const AccessContext& ctx, uint64_t addr, unsigned size);
  void mmioWrite(const AccessContext& ctx, uint64_t addr, unsigned size, uint64_t value);
  // An access of any size up to 16 bytes (little-endian bytes), split as the
  // header says where it cannot arrive whole.
  void mmioReadBytes(const AccessContext& ctx, uint64_t addr, std::span<uint8_t> out);
  void mmioWriteBytes(const AccessContext& ctx, uint64_t addr, std::span<const uint8_t> in);
  uint64_t portRead(const AccessContext& ctx, uint16_t port, unsigned size);
  void portWrite(const AccessContext& ctx, uint16_t port, unsigned size, uint64_t value);
  // The same for a CPU's access.
  uint64_t mmioRead(int cpu, uint64_t addr, unsigned size) { return mmioRead(AccessContext::fromCpu(cpu), addr, size); }
  void mmioWrite(int cpu, uint64_t addr, unsigned size, uint64_t value) {
    mmioWrite(AccessContext::fromCpu(cpu), addr, size, value);
  }
  uint64_t portRead(int cpu, uint16_t port, unsigned size) { return portRead(AccessContext::fromCpu(cpu), port, size); }
  void portWrite(int cpu, uint16_t port, unsigned size, uint64_t value) {
    portWrite(AccessContext::fromCpu(cpu), port, size, value);
  }

  // Accesses nobody claimed, in the order they happened (first 1000 kept).
  const std::vector<UnclaimedAccess>& unclaimed() const { return unclaimed_; }
  uint64_t unclaimedCount() const { return unclaimedCount_; }
  // Forgets the accesses recorded after the count was `count` (machine snapshots).
  void restoreUnclaimedCount(uint64_t count) {
    unclaimedCount_ = count;
    if (unclaimed_.size() > count) unclaimed_.resize(count);
  }

  void addObserver(MmioMapObserver* o) { observers_.push_back(o); }
  void removeObserver(MmioMapObserver* o);

 private:
  void recordUnclaimed(const UnclaimedAccess& a);
  // The enabled window that takes [addr, addr+size) whole, or nullptr.
  const MmioWindow* wholeIn(uint64_t addr, unsigned size) const;
  // Splits [addr, addr+len) into window parts and pieces; `piece` gets
  // (window or nullptr for an unclaimed part, address, offset into the access, size).
  template <typename F>
  void forEachPiece(uint64_t addr, uint64_t len, F&& piece) const;
  void windowsChanged();
  MmioWindow* windowAt(uint64_t base);
  std::vector<MmioWindow> mmio_;   // sorted by base
  std::vector<PortRange> ports_;   // sorted by base
  std::vector<UnclaimedAccess> unclaimed_;
  uint64_t unclaimedCount_ = 0;
  std::vector<MmioMapObserver*> observers_;  // in registration order
};

}  // namespace dlsim
