// A PCI address as reports and messages write it: "bb:dd.f" in hex
// ("00:18.3"), the form lspci and the AMD documents use.
#pragma once
#include <string>

#include "sim/pci/pci_function.h"

namespace dlsim {

std::string pciAddressText(PciAddress at);
// Whether the device (0..31) and function (0..7) numbers are in range.
bool pciAddressValid(PciAddress at);

}  // namespace dlsim
