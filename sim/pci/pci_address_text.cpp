#include "sim/pci/pci_address_text.h"

#include <cstdio>

namespace dlsim {

std::string pciAddressText(PciAddress at) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02x:%02x.%x", unsigned{at.bus}, unsigned{at.device}, unsigned{at.function});
  return buf;
}

bool pciAddressValid(PciAddress at) { return at.device <= 31 && at.function <= 7; }

}  // namespace dlsim
