// One PCI function's configuration space, as the platform's configuration
// mechanisms (CF8/CFC, AMD's extended CF8, ECAM: sim/pci/pci_config_space.h)
// reach it. A model (an AMD northbridge function, an IOMMU, DEV) implements
// it and attaches it at its bus/device/function; the config space hands it
// every access whole, at its register offset (0..4095) and in the size the
// mechanism delivered (1, 2 or 4 bytes, never crossing a dword).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/device.h"

namespace dlsim {

// bus << 8 | device << 3 | function, the PCI requester id form.
struct PciAddress {
  uint8_t bus = 0;
  uint8_t device = 0;    // 0..31
  uint8_t function = 0;  // 0..7
  uint16_t bdf() const { return static_cast<uint16_t>(bus << 8 | device << 3 | function); }
  bool operator==(const PciAddress&) const = default;
  auto operator<=>(const PciAddress&) const = default;
};

class PciFunction {
 public:
  virtual ~PciFunction() = default;
  // Short stable name for reports ("amd-nb-f0", "amd-iommu").
  virtual std::string name() const = 0;
  // `offset` + `size` <= 4096 and the access stays inside one dword.
  virtual uint32_t readConfig(const AccessContext& ctx, uint16_t offset, unsigned size) = 0;
  virtual void writeConfig(const AccessContext& ctx, uint16_t offset, unsigned size, uint32_t value) = 0;
  // State for machine snapshots; a stateless function keeps the defaults.
  virtual std::vector<uint8_t> saveState() const { return {}; }
  virtual void restoreState(std::span<const uint8_t> /*state*/) {}
};

}  // namespace dlsim
