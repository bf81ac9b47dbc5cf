// Where the ACPI tables go in guest memory and how they link: the RSDP in the
// BIOS read-only area (0xE0000-0xFFFFF, 16-byte aligned: where OSPM searches
// for it on IA-PC systems, ACPI 6.5 section 5.2.5.1), the tables after it
// (or at an address the scenario gives), the XSDT and RSDT listing every
// table but the DSDT and FACS (which the FADT points to). Pure: the same
// configuration always gives the same bytes at the same addresses.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/acpi/acpi_builders.h"
#include "sim/acpi/acpi_sdt.h"
#include "sim/e820.h"

namespace dlsim {

inline constexpr uint64_t kBiosAreaStart = 0xE0000;
inline constexpr uint64_t kBiosAreaEnd = 0x100000;  // exclusive
inline constexpr uint64_t kDefaultRsdpAddress = 0xE0000;
inline constexpr uint32_t kDefaultLocalApicAddress = 0xFEE00000;

struct AcpiConfig {
  // true: dlsim builds FADT (+ DSDT, FACS) and MADT from the machine; false:
  // only the RSDP, RSDT and XSDT linking the raw and model tables.
  bool build = true;
  AcpiIds ids;
  std::vector<MadtCpu> cpus;        // one per CPU, in CPU order
  std::vector<MadtIoApic> ioApics;  // the machine's I/O APICs (none today)
  uint32_t localApicAddress = kDefaultLocalApicAddress;
  // Whole tables from the scenario (checked by validateSdt). One with the
  // signature of a built table (APIC, DSDT) or of a model table replaces it.
  std::vector<std::vector<uint8_t>> rawTables;
  // Tables platform models contributed (ModelHost::addAcpiTable), in order.
  std::vector<std::vector<uint8_t>> modelTables;
  uint64_t rsdpAddress = kDefaultRsdpAddress;  // 16-byte aligned, in the BIOS area
  // Page-aligned start of the tables; absent: right after the RSDP.
  std::optional<uint64_t> tablesAddress;
};

struct AcpiBlock {
  uint64_t address = 0;
  std::string signature;  // "RSD PTR " for the RSDP
  std::vector<uint8_t> bytes;
};

struct AcpiImage {
  uint64_t rsdpAddress = 0;
  std::vector<AcpiBlock> blocks;  // in address order
  // What the e820 map reports for them, page granular: the BIOS-area pages
  // as Reserved, tables placed elsewhere as Acpi (reclaimable).
  std::vector<E820Entry> ranges;
};

// Lays the tables out. Throws InputError "acpi: ..." when they do not fit
// below the BIOS area's end (default placement) or 4 GiB (the RSDT holds
// 32-bit addresses), or overlap the RSDP.
AcpiImage layoutAcpi(const AcpiConfig& config);

}  // namespace dlsim
