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
  mmio_.push_back({base, size, dev, true});
  std::sort(mmio_.begin(), mmio_.end(), [](const MmioWindow& a, const MmioWindow& b) { return a.base < b.base; });
  windowsChanged();
}

MmioWindow* Bus::windowAt(uint64_t base) {
  for (auto& w : mmio_)
    if (w.base == base) return &w;
  return nullptr;
}

void Bus::unmapMmio(uint64_t base) {
  MmioWindow* w = windowAt(base);
  if (!w) throw InternalError("bus: no MMIO window at " + hex(base) + " to unmap");
  mmio_.erase(mmio_.begin() + (w - mmio_.data()));
  windowsChanged();
}

void Bus::setMmioEnabled(uint64_t base, bool enabled) {
  MmioWindow* w = windowAt(base);
  if (!w) throw InternalError("bus: no MMIO window at " + hex(base) + " to " + (enabled ? "enable" : "disable"));
  if (w->enabled == enabled) return;
  w->enabled = enabled;
  windowsChanged();
}

void Bus::restoreMmioWindows(const std::vector<MmioWindow>& windows) {
  mmio_ = windows;
  windowsChanged();
}

void Bus::windowsChanged() {
  for (MmioMapObserver* o : observers_) o->mmioWindowsChanged();
}

void Bus::removeObserver(MmioMapObserver* o) { std::erase(observers_, o); }

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

uint64_t Bus::mmioRead(const AccessContext& ctx, uint64_t addr, unsigned size) {
  AccessContext c = ctx;
  c.address = addr;
  const MmioWindow* w = findMmio(addr);
  if (w && w->enabled) return w->device->read(c, addr - w->base, size);
  recordUnclaimed({true, false, c.cpu, addr, size, 0, c.requester});
  return allOnes(size);
}

void Bus::mmioWrite(const AccessContext& ctx, uint64_t addr, unsigned size, uint64_t value) {
  AccessContext c = ctx;
  c.address = addr;
  const MmioWindow* w = findMmio(addr);
  if (w && w->enabled) return w->device->write(c, addr - w->base, size, value);
  recordUnclaimed({true, true, c.cpu, addr, size, value, c.requester});
}

uint64_t Bus::portRead(const AccessContext& ctx, uint16_t port, unsigned size) {
  AccessContext c = ctx;
  c.address = port;
  for (const auto& r : ports_) {
    if (port >= r.base && static_cast<uint32_t>(port - r.base) < r.count) return r.device->read(c, port - r.base, size);
  }
  recordUnclaimed({false, false, c.cpu, port, size, 0, c.requester});
  return allOnes(size);
}

void Bus::portWrite(const AccessContext& ctx, uint16_t port, unsigned size, uint64_t value) {
  AccessContext c = ctx;
  c.address = port;
  for (const auto& r : ports_) {
    if (port >= r.base && static_cast<uint32_t>(port - r.base) < r.count)
      return r.device->write(c, port - r.base, size, value);
  }
  recordUnclaimed({false, true, c.cpu, port, size, value, c.requester});
}

void Bus::recordUnclaimed(const UnclaimedAccess& a) {
  ++unclaimedCount_;
  if (unclaimed_.size() < 1000) unclaimed_.push_back(a);
}

}  // namespace dlsim
