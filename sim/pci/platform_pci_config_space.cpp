#include "sim/pci/platform_pci_config_space.h"

#include "sim/bus.h"
#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/pci/pci_address_text.h"
#include "sim/snapshot/snapshot_registry.h"

namespace dlsim {

namespace {
constexpr uint32_t kStateTag = 0x50434943;  // "PCIC"
constexpr uint8_t kStateVersion = 1;
constexpr uint64_t kMiB = 1ull << 20;
uint32_t allOnes(unsigned size) { return size >= 4 ? 0xFFFFFFFFu : (1u << (size * 8)) - 1; }

void checkAccess(PciAddress at, uint16_t offset, unsigned size) {
  const bool sizeOk = size == 1 || size == 2 || size == 4;
  if (!pciAddressValid(at) || !sizeOk || offset + size > 4096 || (offset & 3) + size > 4)
    throw InternalError("pci: bad configuration access to " + pciAddressText(at) + " register " + hex(offset) +
                        " of " + std::to_string(size) + " bytes");
}
}  // namespace

PlatformPciConfigSpace::PlatformPciConfigSpace(Bus& bus) : bus_(bus), ports_(*this), ecam_(*this) { ports_.map(bus_); }

void PlatformPciConfigSpace::attach(PciAddress at, PciFunction* function) {
  if (!function) throw InternalError("pci: attach of a null function at " + pciAddressText(at));
  if (!pciAddressValid(at))
    throw InputError("pci: function '" + function->name() + "' at " + pciAddressText(at) +
                     ": device must be 0..31 and function 0..7");
  if (auto it = functions_.find(at); it != functions_.end())
    throw InputError("pci: function '" + function->name() + "' cannot attach at " + pciAddressText(at) + ": '" +
                     it->second->name() + "' is there");
  functions_[at] = function;
}

PciFunction* PlatformPciConfigSpace::functionAt(PciAddress at) const {
  auto it = functions_.find(at);
  return it == functions_.end() ? nullptr : it->second;
}

uint32_t PlatformPciConfigSpace::read(const AccessContext& ctx, PciAddress at, uint16_t offset, unsigned size) {
  checkAccess(at, offset, size);
  PciFunction* f = functionAt(at);
  if (!f) return allOnes(size);
  return f->readConfig(ctx, offset, size) & allOnes(size);
}

void PlatformPciConfigSpace::write(const AccessContext& ctx, PciAddress at, uint16_t offset, unsigned size,
                                   uint32_t value) {
  checkAccess(at, offset, size);
  if (PciFunction* f = functionAt(at)) f->writeConfig(ctx, offset, size, value & allOnes(size));
}

void PlatformPciConfigSpace::setEcam(std::optional<uint64_t> base, unsigned busCount) {
  if (base) {
    if (*base % kMiB != 0 || busCount < 1 || busCount > 256 || *base + uint64_t{busCount} * kMiB - 1 < *base)
      throw InternalError("pci: ECAM window at " + hex(*base) + " for " + std::to_string(busCount) +
                          " buses: the base must be 1 MiB aligned, the bus count 1..256 and the window inside the address space");
  }
  if (ecamBase_ == base && (!base || ecamBusCount_ == busCount)) return;
  if (ecamBase_) {
    bus_.unmapMmio(*ecamBase_);
    ecamBase_.reset();
  }
  if (!base) return;
  bus_.mapMmio(*base, uint64_t{busCount} * kMiB, &ecam_);
  ecamBase_ = base;
  ecamBusCount_ = busCount;
}

void PlatformPciConfigSpace::addSnapshotParts(SnapshotRegistry& registry) {
  registry.add(
      "pci", [this] { return saveState(); }, [this](std::span<const uint8_t> s) { restoreState(s); });
  registry.addDevice(ecam_);
}

std::vector<uint8_t> PlatformPciConfigSpace::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u32(ports_.latch());
  w.flag(ports_.extended());
  w.flag(ecamBase_.has_value());
  w.u64(ecamBase_.value_or(0));
  w.u16(static_cast<uint16_t>(ecamBusCount_));
  w.u16(static_cast<uint16_t>(functions_.size()));
  for (const auto& [at, f] : functions_) {
    w.u16(at.bdf());
    w.bytes(f->saveState());
  }
  return w.take();
}

void PlatformPciConfigSpace::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "pci config space");
  r.expectHeader(kStateTag, kStateVersion);
  const uint32_t latch = r.u32("config_address");
  if (latch & ~Cf8CfcPorts::kLatchMask) r.fail("config_address", hex(latch) + " has bits the latch does not keep");
  const bool extended = r.flag("cf8_extended");
  const bool ecamOn = r.flag("ecam_on");
  const uint64_t ecamBase = r.u64("ecam_base");
  const uint16_t busCount = r.u16("ecam_bus_count");
  if (busCount < 1 || busCount > 256 || ecamBase % kMiB != 0)
    r.fail("ecam_base", hex(ecamBase) + " for " + std::to_string(busCount) + " buses is no ECAM placement");
  const uint16_t count = r.u16("functions");
  if (count != functions_.size())
    r.fail("functions", std::to_string(count) + " saved, " + std::to_string(functions_.size()) + " attached");
  std::vector<std::vector<uint8_t>> states;
  for (const auto& [at, f] : functions_) {
    const uint16_t bdf = r.u16("function address");
    if (bdf != at.bdf())
      r.fail("function address", "saved " + hex(bdf) + " where " + pciAddressText(at) + " is attached");
    states.push_back(r.bytes("function state", 1u << 24));
  }
  r.expectEnd();
  ports_.setLatch(latch);
  ports_.setExtended(extended);
  ecamBase_ = ecamOn ? std::optional<uint64_t>(ecamBase) : std::nullopt;
  ecamBusCount_ = busCount;
  size_t i = 0;
  for (const auto& [at, f] : functions_) f->restoreState(states[i++]);
}

}  // namespace dlsim
