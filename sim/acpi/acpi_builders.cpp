// The table builders (see acpi_builders.h for the spec sections).
#include "sim/acpi/acpi_builders.h"

#include <cstring>

namespace dlsim {

namespace {

void putLeAt(std::vector<uint8_t>& b, uint64_t off, uint64_t v, unsigned len) {
  for (unsigned i = 0; i < len; ++i) b.at(off + i) = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

std::vector<uint8_t> buildRsdp(uint32_t rsdtAddress, uint64_t xsdtAddress, const std::string& oemId) {
  std::vector<uint8_t> b(kRsdpSize, 0);
  std::memcpy(b.data(), "RSD PTR ", 8);
  putPaddedAscii(b.data() + kRsdpOemId, oemId, 6);
  b[kRsdpRevision] = 2;
  putLeAt(b, kRsdpRsdtAddress, rsdtAddress, 4);
  putLeAt(b, kRsdpLength, kRsdpSize, 4);
  putLeAt(b, kRsdpXsdtAddress, xsdtAddress, 8);
  setAcpiChecksum(std::span<uint8_t>(b.data(), kRsdpV1Size), kRsdpChecksum);
  setAcpiChecksum(b, kRsdpExtendedChecksum);
  return b;
}

std::vector<uint8_t> buildRsdt(const std::vector<uint32_t>& tables, const AcpiIds& ids) {
  SdtWriter w("RSDT", 1, ids);
  for (uint32_t a : tables) w.put32(a);
  return w.finish();
}

std::vector<uint8_t> buildXsdt(const std::vector<uint64_t>& tables, const AcpiIds& ids) {
  SdtWriter w("XSDT", 1, ids);
  for (uint64_t a : tables) w.put64(a);
  return w.finish();
}

std::vector<uint8_t> buildMadt(uint32_t localApicAddress, uint32_t flags, const std::vector<MadtCpu>& cpus,
                               const std::vector<MadtIoApic>& ioApics, const AcpiIds& ids) {
  SdtWriter w("APIC", 5, ids);
  w.put32(localApicAddress);
  w.put32(flags);
  constexpr uint32_t kEnabled = 1;
  for (const MadtCpu& c : cpus) {
    if (c.apicId < 0xff && c.uid <= 0xff) {
      w.put8(0);  // Processor Local APIC
      w.put8(8);
      w.put8(static_cast<uint8_t>(c.uid));
      w.put8(static_cast<uint8_t>(c.apicId));
      w.put32(kEnabled);
    } else {
      w.put8(9);  // Processor Local x2APIC
      w.put8(16);
      w.put16(0);  // reserved
      w.put32(c.apicId);
      w.put32(kEnabled);
      w.put32(c.uid);
    }
  }
  for (const MadtIoApic& io : ioApics) {
    w.put8(1);  // I/O APIC
    w.put8(12);
    w.put8(io.id);
    w.put8(0);  // reserved
    w.put32(io.address);
    w.put32(io.gsiBase);
  }
  return w.finish();
}

std::vector<uint8_t> buildFadt(uint64_t facsAddress, uint64_t dsdtAddress, const AcpiIds& ids) {
  SdtWriter w("FACP", 6, ids);
  w.zeros(kFadtSize - kSdtHeaderSize);
  std::vector<uint8_t> b = w.finish();  // length set; the fields and checksum follow
  putLeAt(b, kFadtFirmwareCtrl, static_cast<uint32_t>(facsAddress), 4);
  putLeAt(b, kFadtDsdt, static_cast<uint32_t>(dsdtAddress), 4);
  putLeAt(b, kFadtFlags, kFadtWbinvd | kFadtHwReducedAcpi, 4);
  b[kFadtMinorVersion] = 5;
  putLeAt(b, kFadtXFirmwareCtrl, facsAddress, 8);
  putLeAt(b, kFadtXDsdt, dsdtAddress, 8);
  setAcpiChecksum(b, kSdtChecksum);
  return b;
}

std::vector<uint8_t> buildDsdt(const AcpiIds& ids) { return SdtWriter("DSDT", 2, ids).finish(); }

std::vector<uint8_t> buildFacs() {
  std::vector<uint8_t> b(kFacsSize, 0);
  std::memcpy(b.data(), "FACS", 4);
  putLeAt(b, 4, kFacsSize, 4);
  b[32] = 2;  // version
  return b;
}

}  // namespace dlsim
