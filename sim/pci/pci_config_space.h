// The platform's PCI configuration space: the functions attached at their
// bus/device/function and the mechanisms that reach them. A function that is
// not there reads all ones and drops writes (a master abort), as on a PC.
//
// Mechanisms (all on from the start unless noted):
//  - CF8/CFC (PCI Local Bus 3.0 3.2.2.3.2): CONFIG_ADDRESS at port 0xCF8
//    (dword accesses only; bit 31 enable, 23:16 bus, 15:11 device, 10:8
//    function, 7:2 register), CONFIG_DATA at 0xCFC..0xCFF (1, 2, 4 bytes).
//    With AMD's extended mechanism on (setCf8Extended), CONFIG_ADDRESS bits
//    27:24 are register bits 11:8, reaching offsets up to 4095.
//  - ECAM (PCIe base spec 7.2.2): a memory window of busCount MiB at a
//    1 MiB-aligned base; offset = bus << 20 | device << 15 | function << 12 |
//    register. Off until a model places it (AMD: MSR 0xC001_0058).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sim/pci/pci_function.h"

namespace dlsim {

class Bus;

class PciConfigSpace {
 public:
  virtual ~PciConfigSpace() = default;
  // Attaching over an attached function throws InputError naming both.
  virtual void attach(PciAddress at, PciFunction* function) = 0;
  virtual PciFunction* functionAt(PciAddress at) const = 0;
  // One access as any mechanism makes it (also for models and tests).
  virtual uint32_t read(const AccessContext& ctx, PciAddress at, uint16_t offset, unsigned size) = 0;
  virtual void write(const AccessContext& ctx, PciAddress at, uint16_t offset, unsigned size, uint32_t value) = 0;
  // AMD's CF8 extended register bits (NB_CFG EnableCf8ExtCfg).
  virtual void setCf8Extended(bool on) = 0;
  // Places (base, busCount buses) or removes (nullopt) the ECAM window.
  virtual void setEcam(std::optional<uint64_t> base, unsigned busCount = 256) = 0;
};

}  // namespace dlsim
