// The machine's PCI configuration space (sim/pci/pci_config_space.h): the
// attached functions by address, the CF8/CFC ports (mapped when it is
// built), the ECAM window (off until a model places it), the snapshot part
// and the platform-reset behaviour. One per machine; models reach it as
// ModelHost::pci().
//
// Snapshots: part "pci" holds the CONFIG_ADDRESS latch, the extended-CF8
// switch, the ECAM placement and every attached function's saveState keyed
// by its address (the bus restores the ECAM window itself with its other
// windows). Platform reset clears the CONFIG_ADDRESS latch only: the
// extended switch and the ECAM placement belong to the models whose
// registers set them (AMD: NB_CFG and MSR 0xC001_0058), which reset them.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "sim/pci/cf8_cfc_ports.h"
#include "sim/pci/ecam_window.h"
#include "sim/pci/pci_config_space.h"

namespace dlsim {

class Bus;
class SnapshotRegistry;

class PlatformPciConfigSpace final : public PciConfigSpace {
 public:
  // Maps CF8/CFC on `bus` (InputError naming both if a device holds the ports).
  explicit PlatformPciConfigSpace(Bus& bus);
  PlatformPciConfigSpace(const PlatformPciConfigSpace&) = delete;
  PlatformPciConfigSpace& operator=(const PlatformPciConfigSpace&) = delete;

  // InputError for a device > 31 or function > 7, or an address taken
  // (naming both functions); InternalError for a null function.
  void attach(PciAddress at, PciFunction* function) override;
  PciFunction* functionAt(PciAddress at) const override;
  // An absent function reads all ones and drops writes. InternalError when
  // the access is not 1, 2 or 4 bytes inside one dword of the 4 KiB space
  // or the address is out of range (the mechanisms never make one).
  uint32_t read(const AccessContext& ctx, PciAddress at, uint16_t offset, unsigned size) override;
  void write(const AccessContext& ctx, PciAddress at, uint16_t offset, unsigned size, uint32_t value) override;
  void setCf8Extended(bool on) override { ports_.setExtended(on); }
  // Unmaps the window where it was, then maps it at `base` (busCount MiB).
  // InternalError for a base not 1 MiB aligned, a busCount outside 1..256
  // or a window past the 64-bit space (a model checks its register first);
  // InputError naming both when the window overlaps another device's (the
  // ECAM is then off). Where it lies over RAM, RAM wins, as the CPU engines
  // keep RAM mapped.
  void setEcam(std::optional<uint64_t> base, unsigned busCount = 256) override;

  bool cf8Extended() const { return ports_.extended(); }
  uint32_t configAddress() const { return ports_.configAddress(); }
  std::optional<uint64_t> ecamBase() const { return ecamBase_; }
  unsigned ecamBusCount() const { return ecamBusCount_; }

  // Platform reset: CONFIG_ADDRESS back to 0.
  void reset() { ports_.setLatch(0); }
  // Adds part "pci" and the ECAM window device (so the parts stay the same
  // whether or not the window is mapped when a snapshot is taken).
  void addSnapshotParts(SnapshotRegistry& registry);
  std::vector<uint8_t> saveState() const;
  // InputError when the state is malformed or names other functions than
  // the ones attached.
  void restoreState(std::span<const uint8_t> state);

 private:
  Bus& bus_;
  Cf8CfcPorts ports_;
  EcamWindow ecam_;
  std::optional<uint64_t> ecamBase_;
  unsigned ecamBusCount_ = 256;
  std::map<PciAddress, PciFunction*> functions_;
};

}  // namespace dlsim
