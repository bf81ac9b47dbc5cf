// The AMD DMA hardware on an SVM machine (docs/svm-dma.md "Installing
// them"): AmdDmaHardware built from the platform profile (northbridge kind,
// nodes, device ids, the IOMMU and its MMIO base), installed on the PCI
// configuration space, the bus and the DMA port, with its snapshot parts,
// reset hook, IVRS (placed when the scenario has an "acpi" section), the
// rule dma.sl-dev-released-unprotected, and the northbridge MSRs that place
// ECAM and switch CF8's extended bits (amd_config_msrs.h).
#pragma once
#include "svm_model/dev/amd_dma_hardware.h"
#include "svm_model/platform/amd_config_msrs.h"
#include "svm_model/profiles/svm_profile.h"
#include "svm_model/skinit/slb_protection.h"

namespace dlsim {
class ModelHost;
}

namespace dlsim::svm {

struct SvmDma {
  AmdDmaHardware* hardware = nullptr;
  AmdConfigMsrs* msrs = nullptr;
  SlbProtection* slbProtection = nullptr;  // for installSkinit: arms SL_DEV on every node
};

// The options AmdDmaHardware gets for `profile`.
AmdDmaOptions amdDmaOptionsFor(const SvmProfile& profile);

// Everything above on `host`; the parts live as long as the machine.
SvmDma installSvmDma(ModelHost& host, const SvmProfile& profile);

}  // namespace dlsim::svm
