// Every AMD part that decides about device DMA, built from one options
// struct and installed on a machine in one place, so the platform model
// does not repeat the wiring: the SL_DEV protection, the northbridge
// functions (DEV or MEMPROT_CR per options), and optionally the IOMMU (PCI
// function 00:00.2 enabled by "firmware" at its base, its register block
// mapped where the base registers say, its device table on the DMA port).
//
// install() order matters and is fixed here: the SL_DEV protection goes on
// the DMA port before the IOMMU's, so the IOMMU's own device-table reads
// meet it (SKINIT's protection covers them). See docs/svm-dma.md.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sim/acpi/acpi_sdt.h"
#include "sim/bus.h"
#include "sim/dma_port.h"
#include "sim/pci/pci_config_space.h"
#include "sim/snapshot/snapshot_registry.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/iommu/amd_iommu.h"
#include "svm_model/iommu/iommu_pci_function.h"
#include "svm_model/iommu/iommu_protection.h"
#include "svm_model/northbridge/amd_northbridge.h"

namespace dlsim::svm {

struct AmdIommuOptions {
  uint16_t deviceId = 0x1451;        // 00:00.2's device id (family 17h: 0x1451)
  uint64_t mmioBase = 0xFEB80000;    // where firmware places the register block (16 KiB aligned)
  AmdIommuConfig config;
  // Devices the IVRS says the IOMMU handles.
  uint16_t firstDevice = 0x0000;
  uint16_t lastDevice = 0x00FF;
};

// What a launch rule needs to know when software releases SL_DEV /
// MEMPROT on a node.
struct SlDevRelease {
  unsigned node = 0;
  bool lastNode = false;       // the SLB is unprotected by SL_DEV from now on
  uint64_t slbBase = 0;
  bool iommuPresent = false;
  bool iommuTranslating = false;  // IommuEn set: device DMA meets the device table
};

struct AmdDmaOptions {
  NorthbridgeOptions northbridge;
  std::optional<AmdIommuOptions> iommu;  // absent: no IOMMU on the platform
};

class AmdDmaHardware {
 public:
  // InputError "northbridge: ..." for bad northbridge options, "iommu: ..."
  // for an MMIO base that is not 16 KiB aligned.
  AmdDmaHardware(const AmdDmaOptions& options, DmaPort& port);

  // Attaches the PCI functions, puts the protections on the DMA port (SL_DEV
  // first), enables the IOMMU at its base (mapping its registers on `bus`)
  // and registers the parts with state that are not PCI functions for
  // snapshots (the PCI configuration space saves its attached functions).
  void install(PciConfigSpace& config, Bus& bus, SnapshotRegistry& snapshots);
  // Platform reset: every part to its power-on state, then firmware's
  // set-up again (the IOMMU enabled at its base).
  void reset();

  // Told after each node's release, with the IOMMU's state at that moment.
  void onSlDevRelease(std::function<void(const SlDevRelease&)> hook);

  // The ACPI IVRS for ModelHost::addAcpiTable; empty without an IOMMU.
  std::vector<uint8_t> ivrs(const AcpiIds& ids) const;

  // SKINIT arms it: slDev().protectSlb(base).
  SlDevProtection& slDev() { return slDev_; }
  AmdNorthbridge& northbridge() { return northbridge_; }
  AmdIommu* iommu() { return iommu_.get(); }
  AmdIommuFunction* iommuFunction() { return iommuFunction_.get(); }

 private:
  void placeIommu(std::optional<uint64_t> base);

  AmdDmaOptions options_;
  DmaPort& port_;
  SlDevProtection slDev_;
  AmdNorthbridge northbridge_;
  std::unique_ptr<AmdIommu> iommu_;
  std::unique_ptr<AmdIommuProtection> iommuProtection_;
  std::unique_ptr<AmdIommuFunction> iommuFunction_;
  Bus* bus_ = nullptr;  // set by install()
};

}  // namespace dlsim::svm
