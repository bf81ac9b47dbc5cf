// Builders of the ACPI tables dlsim makes from the machine (ACPI 6.5
// chapter 5.2): the RSDP (revision 2, with both RSDT and XSDT), RSDT, XSDT,
// MADT, a minimal FADT with its DSDT and FACS. Each returns the table's bytes
// with length and checksums set; where a table goes is acpi_layout's job.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/acpi/acpi_sdt.h"

namespace dlsim {

// RSDP (ACPI 6.5 section 5.2.5.3, table 5.3): 36 bytes.
inline constexpr uint64_t kRsdpSize = 36;
inline constexpr uint64_t kRsdpChecksum = 8;      // over bytes 0..19
inline constexpr uint64_t kRsdpOemId = 9;
inline constexpr uint64_t kRsdpRevision = 15;
inline constexpr uint64_t kRsdpRsdtAddress = 16;  // u32
inline constexpr uint64_t kRsdpLength = 20;       // u32
inline constexpr uint64_t kRsdpXsdtAddress = 24;  // u64
inline constexpr uint64_t kRsdpExtendedChecksum = 32;  // over all 36 bytes
inline constexpr uint64_t kRsdpV1Size = 20;

std::vector<uint8_t> buildRsdp(uint32_t rsdtAddress, uint64_t xsdtAddress, const std::string& oemId);

// RSDT: the header, then one u32 address per table; XSDT: one u64 each
// (ACPI 6.5 sections 5.2.7, 5.2.8). Revision 1.
std::vector<uint8_t> buildRsdt(const std::vector<uint32_t>& tables, const AcpiIds& ids);
std::vector<uint8_t> buildXsdt(const std::vector<uint64_t>& tables, const AcpiIds& ids);

// MADT (ACPI 6.5 section 5.2.12): local APIC address at 36, flags at 40,
// interrupt controller structures from 44.
inline constexpr uint32_t kMadtPcatCompat = 1;  // flags bit 0: dual 8259s present
struct MadtCpu {
  uint32_t uid = 0;     // ACPI processor UID
  uint32_t apicId = 0;  // as the machine gives it
};
struct MadtIoApic {
  uint8_t id = 0;
  uint32_t address = 0;
  uint32_t gsiBase = 0;
};
// One Processor Local APIC structure (type 0, 8 bytes, flags = Enabled) per
// CPU whose APIC ID and UID fit in a byte (APIC ID 0xff is the broadcast ID),
// a Processor Local x2APIC structure (type 9, 16 bytes) for the others; one
// I/O APIC structure (type 1, 12 bytes) per I/O APIC. Revision 5.
std::vector<uint8_t> buildMadt(uint32_t localApicAddress, uint32_t flags, const std::vector<MadtCpu>& cpus,
                               const std::vector<MadtIoApic>& ioApics, const AcpiIds& ids);

// FADT (ACPI 6.5 section 5.2.9, table 5.9): 276 bytes, revision 6, minor 5.
// Minimal: HW_REDUCED_ACPI (flags bit 20) because the machine has no PM1
// event/control blocks, PM timer, GPEs, SCI or SMI command port; WBINVD
// (bit 0) set. FIRMWARE_CTRL/X_FIRMWARE_CTRL both hold the FACS address,
// DSDT/X_DSDT the DSDT's (the same value, as ACPI allows). No reset register,
// no sleep registers, IAPC_BOOT_ARCH 0.
inline constexpr uint64_t kFadtSize = 276;
inline constexpr uint64_t kFadtFirmwareCtrl = 36;   // u32
inline constexpr uint64_t kFadtDsdt = 40;           // u32
inline constexpr uint64_t kFadtFlags = 112;         // u32
inline constexpr uint64_t kFadtMinorVersion = 131;  // u8
inline constexpr uint64_t kFadtXFirmwareCtrl = 132; // u64
inline constexpr uint64_t kFadtXDsdt = 140;         // u64
inline constexpr uint32_t kFadtWbinvd = 1u << 0;
inline constexpr uint32_t kFadtHwReducedAcpi = 1u << 20;
std::vector<uint8_t> buildFadt(uint64_t facsAddress, uint64_t dsdtAddress, const AcpiIds& ids);

// DSDT: the header and an empty AML body (no devices are described),
// revision 2 (64-bit AML integers).
std::vector<uint8_t> buildDsdt(const AcpiIds& ids);

// FACS (ACPI 6.5 section 5.2.10, table 5.14): 64 bytes, no checksum, version
// 2 at offset 32, hardware signature 0, no waking vector, no global lock.
inline constexpr uint64_t kFacsSize = 64;
inline constexpr uint64_t kFacsAlign = 64;
std::vector<uint8_t> buildFacs();

}  // namespace dlsim
