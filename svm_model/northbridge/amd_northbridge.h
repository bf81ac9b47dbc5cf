// The northbridge PCI functions of every node as the options ask for them:
// D18F0 and D18F3 at 00:18+n.0 / .3, the DEV capability (legacy parts) or
// MEMPROT_CR (family 17h+) wired to the one SLB protection SKINIT arms.
#pragma once
#include <memory>
#include <vector>

#include "sim/pci/pci_config_space.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/northbridge/nb_function0.h"
#include "svm_model/northbridge/nb_function3.h"
#include "svm_model/northbridge/northbridge_options.h"

namespace dlsim::svm {

class AmdNorthbridge {
 public:
  // InputError "northbridge: ..." for a node count outside 1..8 or one that
  // differs from the SLB protection's.
  AmdNorthbridge(const NorthbridgeOptions& options, SlDevProtection& slb);

  static PciAddress f0Address(unsigned node) { return {0, static_cast<uint8_t>(0x18 + node), 0}; }
  static PciAddress f3Address(unsigned node) { return {0, static_cast<uint8_t>(0x18 + node), 3}; }

  // Attaches every function at its address.
  void attach(PciConfigSpace& config);
  // Platform reset of every function with state.
  void reset();

  unsigned nodes() const { return static_cast<unsigned>(f0_.size()); }
  AmdNbFunction0& f0(unsigned node) { return *f0_.at(node); }
  AmdNbFunction3& f3(unsigned node) { return *f3_.at(node); }
  const NorthbridgeOptions& options() const { return options_; }

 private:
  NorthbridgeOptions options_;
  std::vector<std::unique_ptr<AmdNbFunction0>> f0_;
  std::vector<std::unique_ptr<AmdNbFunction3>> f3_;
};

}  // namespace dlsim::svm
