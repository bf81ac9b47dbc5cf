#include "svm_model/platform/amd_config_msrs.h"

#include <algorithm>
#include <memory>

#include "cpu_model/msr_registry.h"
#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "sim/model_api/model_host.h"
#include "sim/pci/pci_config_space.h"
#include "sim/snapshot/snapshot_registry.h"
#include "svm_model/profiles/svm_profile.h"

namespace dlsim::svm {

namespace {
constexpr uint32_t kStateTag = 0x414D5343;  // "AMSC"
constexpr uint8_t kStateVersion = 1;
}  // namespace

AmdConfigMsrs::AmdConfigMsrs(PciConfigSpace& pci, uint64_t resetMmioCfgBase, uint64_t resetNbCfg)
    : pci_(pci), resetMmioCfgBase_(resetMmioCfgBase), resetNbCfg_(resetNbCfg) {}

bool AmdConfigMsrs::writeMmioCfgBase(uint64_t value) {
  if (value & ~kMmioCfgBaseValid) return false;
  mmioCfgBase_ = value;
  if (!(value & kMmioCfgEnable)) {
    pci_.setEcam(std::nullopt);
    return true;
  }
  const unsigned range = static_cast<unsigned>((value >> kMmioCfgBusRangeShift) & 0xF);
  const unsigned buses = 1u << std::min(range, 8u);
  try {
    pci_.setEcam(value & kMmioCfgBaseMask, buses);
  } catch (const InputError&) {
    // Over another device's window: the bus refused it and the ECAM is off
    // (docs/pci.md); software sees its value, configuration goes through CF8.
    pci_.setEcam(std::nullopt);
  }
  return true;
}

void AmdConfigMsrs::writeNbCfg(uint64_t value) {
  nbCfg_ = value;
  pci_.setCf8Extended((value & kNbCfgEnableCf8ExtCfg) != 0);
}

void AmdConfigMsrs::reset() {
  if (!writeMmioCfgBase(resetMmioCfgBase_))
    throw InternalError("amd-nb: reset value of MSR 0xC001_0058 has reserved bits (the profile reader checks them)");
  writeNbCfg(resetNbCfg_);
}

std::vector<uint8_t> AmdConfigMsrs::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u64(mmioCfgBase_);
  w.u64(nbCfg_);
  return w.take();
}

void AmdConfigMsrs::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "amd config msrs");
  r.expectHeader(kStateTag, kStateVersion);
  const uint64_t base = r.u64("mmio_cfg_base");
  const uint64_t nbCfg = r.u64("nb_cfg");
  r.expectEnd();
  if (base & ~kMmioCfgBaseValid) r.fail("mmio_cfg_base", "has reserved bits");
  mmioCfgBase_ = base;
  nbCfg_ = nbCfg;
}

AmdConfigMsrs& installAmdConfigMsrs(ModelHost& host, uint64_t resetMmioCfgBase, uint64_t resetNbCfg) {
  auto msrs = std::make_shared<AmdConfigMsrs>(host.pci(), resetMmioCfgBase, resetNbCfg);
  host.keepAlive(msrs);
  AmdConfigMsrs* m = msrs.get();
  host.msrs().add(MsrRange{kMsrNbCfg, kMsrNbCfg, "amd-nb", [m](int, uint32_t) { return std::optional(m->nbCfg()); },
                           [m](int, uint32_t, uint64_t v) {
                             m->writeNbCfg(v);
                             return true;
                           }});
  host.msrs().add(MsrRange{kMsrMmioCfgBase, kMsrMmioCfgBase, "amd-nb",
                           [m](int, uint32_t) { return std::optional(m->mmioCfgBase()); },
                           [m](int, uint32_t, uint64_t v) { return m->writeMmioCfgBase(v); }});
  host.snapshotParts().add(
      "amd-config-msrs", [m] { return m->saveState(); }, [m](std::span<const uint8_t> s) { m->restoreState(s); });
  // After the machine's own reset of the configuration space (registered first).
  host.onReset([m](ResetKind) { m->reset(); });
  m->reset();
  return *m;
}

}  // namespace dlsim::svm
