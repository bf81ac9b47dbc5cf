// The AMD IOMMU's PCI function at 00:00.2: class 0x0806 (IOMMU), one
// capability (ID 0x0F, type 3 = IOMMU, revision 1, EFRSup) at 0x40 with the
// MMIO base: cap+4 base low (bit 0 Enable, address bits 31:14), cap+8 base
// high (Linux amd_iommu_types.h; SKL iommu.c reads both and refuses to use
// an IOMMU whose Enable is clear). Where the 16 KiB register block is
// mapped follows these registers: the platform gives a callback that maps
// the AmdIommu device at the base while Enable is set (nullopt: unmap).
// Firmware normally programs and enables it: enableAt() is that set-up.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/pci/pci_function.h"
#include "svm_model/northbridge/pci_header.h"

namespace dlsim::svm {

class AmdIommuFunction : public PciFunction {
 public:
  using MmioPlacement = std::function<void(std::optional<uint64_t> base)>;

  static constexpr PciAddress kAddress{0, 0, 2};

  AmdIommuFunction(uint16_t deviceId, MmioPlacement placement);
  std::string name() const override { return "amd-iommu-pci"; }
  uint32_t readConfig(const AccessContext& ctx, uint16_t offset, unsigned size) override;
  void writeConfig(const AccessContext& ctx, uint16_t offset, unsigned size, uint32_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  // Firmware's set-up: base (16 KiB aligned) and Enable. InternalError when
  // `base` is not 16 KiB aligned.
  void enableAt(uint64_t base);
  // Platform reset: base registers 0 (the block is unmapped); firmware's
  // set-up enables it again.
  void reset();
  // The register block's base while Enable is set.
  std::optional<uint64_t> mmioBase() const;

 private:
  uint32_t readDword(uint16_t offset) const;
  void placeMmio();

  PciHeader header_;
  MmioPlacement placement_;
  uint32_t baseLo_ = 0, baseHi_ = 0;
  std::optional<uint64_t> placed_;  // what the callback was last told
};

}  // namespace dlsim::svm
