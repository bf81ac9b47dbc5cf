// Just enough of a PCI configuration space for the AMD parts' tests: the
// functions attached, each access handed to the function (a missing one
// reads all ones, as on a PC). The real one is sim/pci's.
#pragma once
#include <map>

#include "sim/errors.h"
#include "sim/pci/pci_config_space.h"

namespace dlsim::svm::testing {

class MapConfigSpace : public PciConfigSpace {
 public:
  void attach(PciAddress at, PciFunction* f) override {
    if (!functions.emplace(at, f).second) throw InputError("pci: " + f->name() + " over another function");
  }
  PciFunction* functionAt(PciAddress at) const override {
    auto it = functions.find(at);
    return it == functions.end() ? nullptr : it->second;
  }
  uint32_t read(const AccessContext& c, PciAddress at, uint16_t off, unsigned size) override {
    PciFunction* f = functionAt(at);
    return f ? f->readConfig(c, off, size) : (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1);
  }
  void write(const AccessContext& c, PciAddress at, uint16_t off, unsigned size, uint32_t v) override {
    if (PciFunction* f = functionAt(at)) f->writeConfig(c, off, size, v);
  }
  void setCf8Extended(bool) override {}
  void setEcam(std::optional<uint64_t>, unsigned) override {}
  std::map<PciAddress, PciFunction*> functions;
};

}  // namespace dlsim::svm::testing
