#include "sim/bus.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
uint64_t allOnes(unsigned size) { return size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1); }
}  // namespace

void Bus::mapMmio(uint64_t base, uint64_t size, Device* dev) {
  if (size == 0 || base + size < base)
    throw InputError("MMIO window for '" + dev->name() + "' at " + hex(base) + " has a bad size " + hex(size));
  for (const auto& w : mmio_) {
    if (base < w.base + w.size && w.base < base + size)
      throw InputError("MMIO window for '" + dev->name() + "' (" + hex(base) + "-" + hex(base + size - 1) +
                       ") overlaps '" + w.device->name() + "' (" + hex(w.base) + "-" + hex(w.base + w.size - 1) + ")");
  }
  mmio_.push_back({base, size, dev});
  std::sort(mmio_.begin(), mmio_.end(), [](const MmioWindow& a, const MmioWindow& b) { return a.base < b.base; });
}

void Bus::mapPorts(uint16_t base, uint32_t count, Device* dev) {
  if (count == 0 || base + count > 0x10000)
    throw InputError("port range for '" + dev->name() + "' at " + hex(base) + " has a bad count " + std::to_string(count));
  for (const auto& r : ports_) {
    if (base < r.base + r.count && r.base < base + count)
      throw InputError("port range for '" + dev->name() + "' (" + hex(base) + "-" + hex(base + count - 1) +
                       ") overlaps '" + r.device->name() + "' (" + hex(r.base) + "-" + hex(r.base + r.count - 1) + ")");
  }
  ports_.push_back({base, count, dev});
  std::sort(ports_.begin(), ports_.end(), [](const PortRange& a, const PortRange& b) { return a.base < b.base; });
}

const MmioWindow* Bus::findMmio(uint64_t addr) const {
  auto it = std::upper_bound(mmio_.begin(), mmio_.end(), addr,
                             [](uint64_t a, const MmioWindow& w) { return a < w.base; });
  if (it == mmio_.begin()) return nullptr;
  --it;
  return addr - it->base < it->size ? &*it : nullptr;
}

uint64_t Bus::mmioRead(int cpu, uint64_t addr, unsigned size) {
  if (const MmioWindow* w = findMmio(addr)) return w->device->read({cpu, addr, -1}, addr - w->base, size);
  recordUnclaimed({true, false, cpu, addr, size, 0});
  return allOnes(size);
}

void Bus::mmioWrite(int cpu, uint64_t addr, unsigned size, uint64_t value) {
  if (const MmioWindow* w = findMmio(addr)) return w->device->write({cpu, addr, -1}, addr - w->base, size, value);
  recordUnclaimed({true, true, cpu, addr, size, value});
}

uint64_t Bus::portRead(int cpu, uint16_t port, unsigned size) {
  for (const auto& r : ports_) {
    if (port >= r.base && static_cast<uint32_t>(port - r.base) < r.count) return r.device->read({cpu, port, -1}, port - r.base, size);
  }
  recordUnclaimed({false, false, cpu, port, size, 0});
  return allOnes(size);
}

void Bus::portWrite(int cpu, uint16_t port, unsigned size, uint64_t value) {
  for (const auto& r : ports_) {
    if (port >= r.base && static_cast<uint32_t>(port - r.base) < r.count) return r.device->write({cpu, port, -1}, port - r.base, size, value);
  }
  recordUnclaimed({false, true, cpu, port, size, value});
}

void Bus::recordUnclaimed(const UnclaimedAccess& a) {
  ++unclaimedCount_;
  if (unclaimed_.size() < 1000) unclaimed_.push_back(a);
}

}  // namespace dlsim
