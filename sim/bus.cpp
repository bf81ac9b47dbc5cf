#include "sim/bus.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/host_probe.h"

namespace dlsim {

namespace {
uint64_t allOnes(unsigned size) { return size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1); }
bool isAccessSize(unsigned s) { return s == 1 || s == 2 || s == 4 || s == 8; }
// Little-endian value of up to 8 bytes.
uint64_t valueOf(std::span<const uint8_t> b) {
  uint64_t v = 0;
  for (size_t i = 0; i < b.size() && i < 8; ++i) v |= uint64_t{b[i]} << (8 * i);
  return v;
}
void putValue(std::span<uint8_t> b, uint64_t v) {
  for (size_t i = 0; i < b.size() && i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
}
// A device access, counted and timed by the benchmark's probe (host_probe.h)
// when one is installed.
uint64_t deviceRead(Device& d, const AccessContext& c, uint64_t offset, unsigned size) {
  HostProbeNamedScope probe("device", [&d] { return d.name(); });
  return d.read(c, offset, size);
}
void deviceWrite(Device& d, const AccessContext& c, uint64_t offset, unsigned size, uint64_t value) {
  HostProbeNamedScope probe("device", [&d] { return d.name(); });
  d.write(c, offset, size, value);
}
}  // namespace

const char* mmioSplitName(MmioSplit split) { return split == MmioSplit::kBytes ? "bytes" : "aligned"; }

void Bus::mapMmio(uint64_t base, uint64_t size, Device* dev, MmioSplit split) {
  if (size == 0 || base + size < base)
    throw InputError("MMIO window for '" + dev->name() + "' at " + hex(base) + " has a bad size " + hex(size));
  for (const auto& w : mmio_) {
    if (base < w.base + w.size && w.base < base + size)
      throw InputError("MMIO window for '" + dev->name() + "' (" + hex(base) + "-" + hex(base + size - 1) +
                       ") overlaps '" + w.device->name() + "' (" + hex(w.base) + "-" + hex(w.base + w.size - 1) + ")");
  }
  mmio_.push_back({base, size, dev, true, split});
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

MmioSplit Bus::splitAt(uint64_t addr) const {
  const MmioWindow* w = findMmio(addr);
  return w ? w->split : MmioSplit::kAligned;
}

const MmioWindow* Bus::wholeIn(uint64_t addr, unsigned size) const {
  const MmioWindow* w = findMmio(addr);
  if (!w || !w->enabled || !isAccessSize(size)) return nullptr;
  return size <= w->size - (addr - w->base) ? w : nullptr;
}

template <typename F>
void Bus::forEachPiece(uint64_t addr, uint64_t len, F&& piece) const {
  uint64_t at = addr;
  const uint64_t end = addr + len;
  while (at < end) {
    const MmioWindow* w = findMmio(at);
    if (!w || !w->enabled) {
      // Unclaimed up to the next enabled window (or the access's end), in one part.
      uint64_t stop = end;
      for (const MmioWindow& o : mmio_)
        if (o.enabled && o.base > at && o.base < stop) stop = o.base;
      piece(nullptr, at, at - addr, static_cast<unsigned>(stop - at));
      at = stop;
      continue;
    }
    const uint64_t partEnd = std::min(end, w->base + w->size);
    // A part of 1, 2, 4 or 8 bytes is an access the device can take whole;
    // only a part of another length is split as the window declares.
    if (isAccessSize(static_cast<unsigned>(partEnd - at))) {
      piece(w, at, at - addr, static_cast<unsigned>(partEnd - at));
      at = partEnd;
      continue;
    }
    while (at < partEnd) {
      unsigned s = 1;
      if (w->split == MmioSplit::kAligned)
        for (unsigned c : {8u, 4u, 2u})
          if ((at & (c - 1)) == 0 && c <= partEnd - at) {
            s = c;
            break;
          }
      piece(w, at, at - addr, s);
      at += s;
    }
  }
}

uint64_t Bus::mmioRead(const AccessContext& ctx, uint64_t addr, unsigned size) {
  AccessContext c = ctx;
  c.address = addr;
  if (const MmioWindow* w = wholeIn(addr, size)) return deviceRead(*w->device, c, addr - w->base, size);
  uint8_t b[8];
  mmioReadBytes(ctx, addr, std::span<uint8_t>(b, std::min(size, 8u)));
  return valueOf(std::span<const uint8_t>(b, std::min(size, 8u)));
}

void Bus::mmioWrite(const AccessContext& ctx, uint64_t addr, unsigned size, uint64_t value) {
  AccessContext c = ctx;
  c.address = addr;
  if (const MmioWindow* w = wholeIn(addr, size)) return deviceWrite(*w->device, c, addr - w->base, size, value);
  uint8_t b[8];
  putValue(std::span<uint8_t>(b, std::min(size, 8u)), value);
  mmioWriteBytes(ctx, addr, std::span<const uint8_t>(b, std::min(size, 8u)));
}

void Bus::mmioReadBytes(const AccessContext& ctx, uint64_t addr, std::span<uint8_t> out) {
  AccessContext c = ctx;
  c.address = addr;
  if (const MmioWindow* w = wholeIn(addr, static_cast<unsigned>(out.size()))) {
    putValue(out, deviceRead(*w->device, c, addr - w->base, static_cast<unsigned>(out.size())));
    return;
  }
  forEachPiece(addr, out.size(), [&](const MmioWindow* w, uint64_t at, uint64_t off, unsigned size) {
    AccessContext pc = ctx;
    pc.address = at;
    const std::span<uint8_t> bytes = out.subspan(off, size);
    if (w) {
      putValue(bytes, deviceRead(*w->device, pc, at - w->base, size));
      return;
    }
    std::fill(bytes.begin(), bytes.end(), uint8_t{0xff});
    recordUnclaimed({true, false, pc.cpu, at, size, 0, pc.requester});
  });
}

void Bus::mmioWriteBytes(const AccessContext& ctx, uint64_t addr, std::span<const uint8_t> in) {
  AccessContext c = ctx;
  c.address = addr;
  if (const MmioWindow* w = wholeIn(addr, static_cast<unsigned>(in.size())))
    return deviceWrite(*w->device, c, addr - w->base, static_cast<unsigned>(in.size()), valueOf(in));
  forEachPiece(addr, in.size(), [&](const MmioWindow* w, uint64_t at, uint64_t off, unsigned size) {
    AccessContext pc = ctx;
    pc.address = at;
    const uint64_t v = valueOf(in.subspan(off, size));
    if (w) return deviceWrite(*w->device, pc, at - w->base, size, v);
    recordUnclaimed({true, true, pc.cpu, at, size, v, pc.requester});
  });
}

uint64_t Bus::portRead(const AccessContext& ctx, uint16_t port, unsigned size) {
  AccessContext c = ctx;
  c.address = port;
  for (const auto& r : ports_) {
    if (port >= r.base && static_cast<uint32_t>(port - r.base) < r.count)
      return deviceRead(*r.device, c, port - r.base, size);
  }
  recordUnclaimed({false, false, c.cpu, port, size, 0, c.requester});
  return allOnes(size);
}

void Bus::portWrite(const AccessContext& ctx, uint16_t port, unsigned size, uint64_t value) {
  AccessContext c = ctx;
  c.address = port;
  for (const auto& r : ports_) {
    if (port >= r.base && static_cast<uint32_t>(port - r.base) < r.count)
      return deviceWrite(*r.device, c, port - r.base, size, value);
  }
  recordUnclaimed({false, true, c.cpu, port, size, value, c.requester});
}

void Bus::recordUnclaimed(const UnclaimedAccess& a) {
  ++unclaimedCount_;
  if (unclaimed_.size() < 1000) unclaimed_.push_back(a);
}

}  // namespace dlsim
