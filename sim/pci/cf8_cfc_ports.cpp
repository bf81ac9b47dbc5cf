#include "sim/pci/cf8_cfc_ports.h"

#include "sim/bus.h"
#include "sim/pci/pci_config_space.h"

namespace dlsim {

namespace {
uint64_t allOnes(unsigned size) { return size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1); }
}  // namespace

void Cf8CfcPorts::map(Bus& bus) {
  bus.mapPorts(kAddressPort, 1, &address_);
  bus.mapPorts(kDataPort, 4, &data_);
}

uint32_t Cf8CfcPorts::configAddress() const { return extended_ ? latch_ : latch_ & 0x80FFFFFC; }

uint64_t Cf8CfcPorts::AddressPort::read(const AccessContext&, uint64_t offset, unsigned size) {
  if (offset != 0 || size != 4) return allOnes(size);
  return ports_.configAddress();
}

void Cf8CfcPorts::AddressPort::write(const AccessContext&, uint64_t offset, unsigned size, uint64_t value) {
  if (offset != 0 || size != 4) return;
  ports_.setLatch(static_cast<uint32_t>(value));
}

bool Cf8CfcPorts::DataPort::target(uint64_t offset, unsigned size, PciAddress& at, uint16_t& reg) const {
  const uint32_t a = ports_.configAddress();
  if (!(a & 0x80000000u) || offset + size > 4) return false;
  at = {static_cast<uint8_t>(a >> 16), static_cast<uint8_t>((a >> 11) & 31), static_cast<uint8_t>((a >> 8) & 7)};
  reg = static_cast<uint16_t>((a & 0xFC) | ((a >> 16) & 0xF00) | offset);
  return true;
}

uint64_t Cf8CfcPorts::DataPort::read(const AccessContext& ctx, uint64_t offset, unsigned size) {
  PciAddress at;
  uint16_t reg = 0;
  if (!target(offset, size, at, reg)) return allOnes(size);
  return space_.read(ctx, at, reg, size);
}

void Cf8CfcPorts::DataPort::write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) {
  PciAddress at;
  uint16_t reg = 0;
  if (!target(offset, size, at, reg)) return;
  space_.write(ctx, at, reg, size, static_cast<uint32_t>(value));
}

}  // namespace dlsim
