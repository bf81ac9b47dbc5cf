// The platform bus: MMIO windows and I/O port ranges, each owned by one
// Device. Mapping a range that overlaps another throws InputError naming both.
// Accesses that hit nothing read all ones and drop writes, as on a PC, and are
// recorded so the report can name them.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/device.h"

namespace dlsim {

struct MmioWindow {
  uint64_t base = 0;
  uint64_t size = 0;
  Device* device = nullptr;
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
};

class Bus {
 public:
  void mapMmio(uint64_t base, uint64_t size, Device* dev);
  void mapPorts(uint16_t base, uint32_t count, Device* dev);

  const std::vector<MmioWindow>& mmioWindows() const { return mmio_; }
  const std::vector<PortRange>& portRanges() const { return ports_; }

  // Finds the window containing addr, or nullptr.
  const MmioWindow* findMmio(uint64_t addr) const;

  uint64_t mmioRead(int cpu, uint64_t addr, unsigned size);
  void mmioWrite(int cpu, uint64_t addr, unsigned size, uint64_t value);
  uint64_t portRead(int cpu, uint16_t port, unsigned size);
  void portWrite(int cpu, uint16_t port, unsigned size, uint64_t value);

  // Accesses nobody claimed, in the order they happened (first 1000 kept).
  const std::vector<UnclaimedAccess>& unclaimed() const { return unclaimed_; }
  uint64_t unclaimedCount() const { return unclaimedCount_; }

 private:
  void recordUnclaimed(const UnclaimedAccess& a);
  std::vector<MmioWindow> mmio_;   // sorted by base
  std::vector<PortRange> ports_;   // sorted by base
  std::vector<UnclaimedAccess> unclaimed_;
  uint64_t unclaimedCount_ = 0;
};

}  // namespace dlsim
