#include "svm_model/northbridge/amd_northbridge.h"

#include "sim/errors.h"

namespace dlsim::svm {

AmdNorthbridge::AmdNorthbridge(const NorthbridgeOptions& options, SlDevProtection& slb) : options_(options) {
  if (options.nodes < 1 || options.nodes > 8)
    throw InputError("northbridge: nodes " + std::to_string(options.nodes) + " (1..8 allowed)");
  if (options.nodes != slb.nodes())
    throw InputError("northbridge: nodes " + std::to_string(options.nodes) + " but the SLB protection has " +
                     std::to_string(slb.nodes()));
  const bool legacy = options.release == SlbRelease::kLegacyDev;
  for (unsigned n = 0; n < options.nodes; ++n) {
    f0_.push_back(std::make_unique<AmdNbFunction0>(n, options.f0DeviceId, !legacy, slb));
    f3_.push_back(
        std::make_unique<AmdNbFunction3>(n, options.f3DeviceId, legacy, options.devDomains, options.devMaps, slb));
  }
}

void AmdNorthbridge::attach(PciConfigSpace& config) {
  for (unsigned n = 0; n < nodes(); ++n) {
    config.attach(f0Address(n), f0_[n].get());
    config.attach(f3Address(n), f3_[n].get());
  }
}

void AmdNorthbridge::reset() {
  for (auto& f : f3_) f->reset();
}

}  // namespace dlsim::svm
