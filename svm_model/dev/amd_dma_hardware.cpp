#include "svm_model/dev/amd_dma_hardware.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "svm_model/iommu/iommu_registers.h"
#include "svm_model/iommu/ivrs.h"

namespace dlsim::svm {

namespace {

// The node count checked first so the SL_DEV protection can be sized by it.
unsigned checkedNodes(const NorthbridgeOptions& o) {
  if (o.nodes < 1 || o.nodes > 8) throw InputError("northbridge: nodes " + std::to_string(o.nodes) + " (1..8 allowed)");
  return o.nodes;
}

}  // namespace

AmdDmaHardware::AmdDmaHardware(const AmdDmaOptions& options, DmaPort& port)
    : options_(options), port_(port), slDev_(checkedNodes(options.northbridge)),
      northbridge_(options.northbridge, slDev_) {
  if (!options.iommu) return;
  if (options.iommu->mmioBase % iommu::kMmioSize != 0 || options.iommu->mmioBase == 0)
    throw InputError("iommu: MMIO base " + hex(options.iommu->mmioBase) + " is not a nonzero 16 KiB-aligned address");
  if (options.iommu->firstDevice > options.iommu->lastDevice)
    throw InputError("iommu: first device " + hex(options.iommu->firstDevice) + " after last device " +
                     hex(options.iommu->lastDevice));
  iommu_ = std::make_unique<AmdIommu>(options.iommu->config, port);
  iommuProtection_ = std::make_unique<AmdIommuProtection>(*iommu_);
  iommuFunction_ = std::make_unique<AmdIommuFunction>(
      options.iommu->deviceId, [this](std::optional<uint64_t> base) { placeIommu(base); });
}

void AmdDmaHardware::placeIommu(std::optional<uint64_t> base) {
  if (!bus_) return;
  // Where the registers are mapped now is asked of the bus (not remembered
  // here), so a restored snapshot, whose windows the bus restores, stays right.
  std::vector<uint64_t> mapped;
  for (const MmioWindow& w : bus_->mmioWindows())
    if (w.device == iommu_.get()) mapped.push_back(w.base);
  for (uint64_t b : mapped) bus_->unmapMmio(b);
  if (base) bus_->mapMmio(*base, iommu::kMmioSize, iommu_.get());
}

void AmdDmaHardware::install(PciConfigSpace& config, Bus& bus, SnapshotRegistry& snapshots) {
  bus_ = &bus;
  northbridge_.attach(config);
  port_.addProtection(&slDev_);
  snapshots.add(
      "amd-sl-dev", [this] { return slDev_.saveState(); },
      [this](std::span<const uint8_t> s) { slDev_.restoreState(s); });
  // The PCI functions' own state (DEV_OP and the DEV registers, the IOMMU's
  // base registers) is saved by the PCI configuration space's part "pci"
  // with every attached function: not registered again here.
  if (!iommu_) return;
  config.attach(AmdIommuFunction::kAddress, iommuFunction_.get());
  port_.addProtection(iommuProtection_.get());
  iommuFunction_->enableAt(options_.iommu->mmioBase);
  snapshots.addDevice(*iommu_);
}

void AmdDmaHardware::onSlDevRelease(std::function<void(const SlDevRelease&)> hook) {
  // The base is gone once the last node released it: remember it while armed.
  slDev_.onRelease([this, hook = std::move(hook)](unsigned node) {
    SlDevRelease r;
    r.node = node;
    r.lastNode = !slDev_.active();
    r.slbBase = slDev_.lastBase();
    r.iommuPresent = iommu_ != nullptr;
    r.iommuTranslating = iommu_ && iommu_->translating();
    hook(r);
  });
}

void AmdDmaHardware::reset() {
  slDev_.reset();
  northbridge_.reset();
  if (!iommu_) return;
  iommu_->reset();
  iommuFunction_->reset();
  iommuFunction_->enableAt(options_.iommu->mmioBase);
}

std::vector<uint8_t> AmdDmaHardware::ivrs(const AcpiIds& ids) const {
  if (!options_.iommu) return {};
  return buildIvrsForIommu(options_.iommu->mmioBase, options_.iommu->firstDevice, options_.iommu->lastDevice, ids);
}

}  // namespace dlsim::svm
