// The ECAM window (PCIe base spec 7.2.2) as an MMIO device: offset =
// bus << 20 | device << 15 | function << 12 | register. The config space
// maps it where the owning model places it (PciConfigSpace::setEcam); the
// window is busCount MiB long, so a bus beyond it is no ECAM access (the bus
// records it as unclaimed).
//
// Accesses of 1, 2 or 4 bytes inside one dword reach the function whole. An
// access the function cannot take whole (8 bytes, or one crossing a dword) is
// split as sim/pci/config_access_pieces.h says: an aligned 8-byte access is
// two dword accesses, low dword first (a root complex may refuse or split
// it; dlsim splits, so a guest's `mov rax, [ecam]` sees both dwords).
#pragma once
#include <cstdint>
#include <string>

#include "sim/device.h"

namespace dlsim {

class PciConfigSpace;

class EcamWindow final : public Device {
 public:
  explicit EcamWindow(PciConfigSpace& space) : space_(space) {}
  std::string name() const override { return "pci-ecam"; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;

 private:
  PciConfigSpace& space_;
};

}  // namespace dlsim
