// The two AMD MSRs that decide how software reaches PCI configuration space
// (firmware leaves both set up; their values after power-on and reset come
// from the platform profile, docs/svm.md):
//  - MSR 0xC001_0058, MMIO configuration base (Linux msr-index.h
//    FAM10H_MMIO_CONF_*): bit 0 enable, bits 5:2 bus range (2^n buses; more
//    than 8 means further PCI segments, which the model does not have: the
//    window then covers segment 0's 256 buses), bits 47:20 base. Enabled, it
//    places the ECAM window (PciConfigSpace::setEcam); cleared, it removes it.
//  - MSR 0xC001_001F, NB_CFG: bit 46 EnableCf8ExtCfg switches CF8's
//    extended register bits (PciConfigSpace::setCf8Extended); the other
//    bits are storage.
// One value per platform (they configure the northbridge, which all cores
// share). Writing reserved bits of 0xC001_0058 raises #GP.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace dlsim {
class ModelHost;
class PciConfigSpace;
}  // namespace dlsim

namespace dlsim::svm {

class AmdConfigMsrs {
 public:
  AmdConfigMsrs(PciConfigSpace& pci, uint64_t resetMmioCfgBase, uint64_t resetNbCfg);

  // false: reserved bits set (#GP). An ECAM window that would overlap
  // another device's leaves the ECAM off (the value is kept).
  bool writeMmioCfgBase(uint64_t value);
  void writeNbCfg(uint64_t value);
  uint64_t mmioCfgBase() const { return mmioCfgBase_; }
  uint64_t nbCfg() const { return nbCfg_; }

  // Firmware's values again, applied to the configuration space.
  void reset();
  // The MSR values only: the configuration space saves its own placement.
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> state);

 private:
  PciConfigSpace& pci_;
  uint64_t resetMmioCfgBase_, resetNbCfg_;
  uint64_t mmioCfgBase_ = 0, nbCfg_ = 0;
};

// Builds one, registers both MSRs ("amd-nb"), its snapshot part and its
// reset hook on `host`, and applies the profile's values; kept alive by the
// machine.
AmdConfigMsrs& installAmdConfigMsrs(ModelHost& host, uint64_t resetMmioCfgBase, uint64_t resetNbCfg);

}  // namespace dlsim::svm
