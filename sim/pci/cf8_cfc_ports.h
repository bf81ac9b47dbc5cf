// Configuration mechanism #1 (PCI Local Bus 3.0 3.2.2.3.2) on the port bus:
// CONFIG_ADDRESS at 0xCF8 and CONFIG_DATA at 0xCFC..0xCFF, with AMD's
// extended register bits (CONFIG_ADDRESS 27:24 = register 11:8) when on.
//
// What each access does (docs/pci.md has the table):
//  - a dword at 0xCF8 writes or reads the CONFIG_ADDRESS latch (bits 31 and
//    23:2 kept, 27:24 too; 30:28 and 1:0 read back 0; 27:24 read back 0 and
//    are ignored while the extended mechanism is off);
//  - a byte or word at 0xCF8 is no configuration access (the spec passes it
//    on as ordinary I/O, which nothing here decodes): reads all ones, writes
//    are dropped. Only port 0xCF8 itself is mapped, so accesses starting at
//    0xCF9..0xCFB stay unclaimed on the bus and reach the report as before
//    (a chipset reset write to 0xCF9 among them);
//  - 1, 2 or 4 bytes at 0xCFC + n (n + size <= 4) reach register
//    (latch register | n) of the latched function when bit 31 is set; with
//    bit 31 clear they read all ones and writes are dropped; an access that
//    runs past 0xCFF is no configuration access either (all ones, dropped).
#pragma once
#include <cstdint>
#include <string>

#include "sim/device.h"
#include "sim/pci/pci_function.h"

namespace dlsim {

class Bus;
class PciConfigSpace;

class Cf8CfcPorts {
 public:
  static constexpr uint16_t kAddressPort = 0xCF8;
  static constexpr uint16_t kDataPort = 0xCFC;
  // The CONFIG_ADDRESS bits the latch keeps (27:24 only matter when extended).
  static constexpr uint32_t kLatchMask = 0x8FFFFFFC;

  explicit Cf8CfcPorts(PciConfigSpace& space) : address_(*this), data_(*this, space) {}
  Cf8CfcPorts(const Cf8CfcPorts&) = delete;
  Cf8CfcPorts& operator=(const Cf8CfcPorts&) = delete;

  // Maps port 0xCF8 (CONFIG_ADDRESS) and 0xCFC..0xCFF (CONFIG_DATA).
  void map(Bus& bus);

  // CONFIG_ADDRESS as a dword read returns it.
  uint32_t configAddress() const;
  // The latch as stored (snapshots); set masks it with kLatchMask.
  uint32_t latch() const { return latch_; }
  void setLatch(uint32_t value) { latch_ = value & kLatchMask; }
  bool extended() const { return extended_; }
  void setExtended(bool on) { extended_ = on; }

 private:
  class AddressPort final : public Device {
   public:
    explicit AddressPort(Cf8CfcPorts& ports) : ports_(ports) {}
    std::string name() const override { return "pci-cf8"; }
    uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
    void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;

   private:
    Cf8CfcPorts& ports_;
  };
  class DataPort final : public Device {
   public:
    DataPort(Cf8CfcPorts& ports, PciConfigSpace& space) : ports_(ports), space_(space) {}
    std::string name() const override { return "pci-cfc"; }
    uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
    void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;

   private:
    // Whether the access is a configuration access, and the function and
    // register it reaches.
    bool target(uint64_t offset, unsigned size, PciAddress& at, uint16_t& reg) const;
    Cf8CfcPorts& ports_;
    PciConfigSpace& space_;
  };

  AddressPort address_;
  DataPort data_;
  uint32_t latch_ = 0;
  bool extended_ = false;
};

}  // namespace dlsim
