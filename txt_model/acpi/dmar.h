// The ACPI DMA Remapping Reporting table (DMAR), as the Intel VT-d
// specification (rev. 4.x) chapter 8 lays it out, with the names Linux uses
// (include/acpi/actbl1.h): the header with the host address width and flags,
// then remapping structures, each "type u16, length u16" first. Firmware
// lists the VT-d units there; tboot and Linux Secure Launch read it to find
// them (to program the PMRs), and the MLE is handed a copy through the heap.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/acpi/acpi_sdt.h"

namespace dlsim::txt {

// DMAR header (VT-d 8.1): the SDT header, then these.
inline constexpr uint64_t kDmarHostAddressWidth = 36;  // u8: N-1, N = DMA address bits
inline constexpr uint64_t kDmarFlags = 37;             // u8
inline constexpr uint64_t kDmarReserved = 38;          // 10 bytes
inline constexpr uint64_t kDmarStructures = 48;        // first remapping structure
inline constexpr uint8_t kDmarIntrRemap = 1u << 0;
inline constexpr uint8_t kDmarX2apicOptOut = 1u << 1;
inline constexpr uint8_t kDmarDmaCtrlPlatformOptIn = 1u << 2;

// Remapping structure types (VT-d 8.2; ACPI_DMAR_TYPE_* in actbl1.h).
enum class DmarType : uint16_t {
  Drhd = 0,  // DMA Remapping Hardware Unit Definition
  Rmrr = 1,  // Reserved Memory Region Reporting
  Atsr = 2,  // Root Port ATS Capability Reporting
  Rhsa = 3,  // Remapping Hardware Static Affinity
  Andd = 4,  // ACPI Name-space Device Declaration
  Satc = 5,  // SoC Integrated Address Translation Cache
};

// Device scope entry types (VT-d 8.3.1).
inline constexpr uint8_t kScopePciEndpoint = 1;
inline constexpr uint8_t kScopePciSubHierarchy = 2;
inline constexpr uint8_t kScopeIoApic = 3;
inline constexpr uint8_t kScopeMsiHpet = 4;
inline constexpr uint8_t kScopeAcpiNamespace = 5;

// A device scope (VT-d 8.3.1): type u8, length u8, flags u8, reserved u8,
// enumeration ID u8, start bus u8, then (device, function) byte pairs.
struct DmarDeviceScope {
  uint8_t type = kScopePciEndpoint;
  uint8_t flags = 0;
  uint8_t enumerationId = 0;
  uint8_t startBus = 0;
  std::vector<std::pair<uint8_t, uint8_t>> path;  // (device, function)
  bool operator==(const DmarDeviceScope&) const = default;
};

// DRHD (VT-d 8.3): flags u8 (bit 0 INCLUDE_PCI_ALL), size u8 (bits 3:0: the
// register set is 2^N 4-KiB pages), segment u16, register base u64, scopes
// from offset 16.
inline constexpr uint8_t kDrhdIncludePciAll = 1u << 0;
struct DmarDrhd {
  uint8_t flags = 0;
  uint8_t size = 0;
  uint16_t segment = 0;
  uint64_t registerBase = 0;
  std::vector<DmarDeviceScope> scopes;
  bool operator==(const DmarDrhd&) const = default;
};

// RMRR (VT-d 8.4): reserved u16, segment u16, base u64, limit u64 (inclusive),
// scopes from offset 24.
struct DmarRmrr {
  uint16_t segment = 0;
  uint64_t base = 0;
  uint64_t limit = 0;
  std::vector<DmarDeviceScope> scopes;
  bool operator==(const DmarRmrr&) const = default;
};

// ATSR (VT-d 8.5): flags u8 (bit 0 ALL_PORTS), reserved u8, segment u16,
// scopes from offset 8.
inline constexpr uint8_t kAtsrAllPorts = 1u << 0;
struct DmarAtsr {
  uint8_t flags = 0;
  uint16_t segment = 0;
  std::vector<DmarDeviceScope> scopes;
  bool operator==(const DmarAtsr&) const = default;
};

// RHSA (VT-d 8.6): reserved u32, register base u64, proximity domain u32;
// 20 bytes.
struct DmarRhsa {
  uint64_t registerBase = 0;
  uint32_t proximityDomain = 0;
  bool operator==(const DmarRhsa&) const = default;
};

// ANDD (VT-d 8.7): reserved 3 bytes, ACPI device number u8, the object's
// full name as a NUL-terminated string from offset 8 (bytes after the NUL,
// padding, are ignored).
struct DmarAndd {
  uint8_t deviceNumber = 0;
  std::string objectName;  // without the NUL
  bool operator==(const DmarAndd&) const = default;
};

// SATC (VT-d 8.8): flags u8 (bit 0 ATC_REQUIRED), reserved u8, segment u16,
// scopes from offset 8.
inline constexpr uint8_t kSatcAtcRequired = 1u << 0;
struct DmarSatc {
  uint8_t flags = 0;
  uint16_t segment = 0;
  std::vector<DmarDeviceScope> scopes;
  bool operator==(const DmarSatc&) const = default;
};

// A structure of a type this model does not know (a later spec's): kept
// whole, header included, so a table passes through unchanged.
struct DmarOther {
  uint16_t type = 0;
  std::vector<uint8_t> bytes;
  bool operator==(const DmarOther&) const = default;
};

struct DmarTable {
  uint8_t revision = 1;
  AcpiIds ids;
  uint8_t hostAddressWidth = 38;  // N-1: 39-bit DMA addresses
  uint8_t flags = 0;
  std::vector<DmarDrhd> drhds;
  std::vector<DmarRmrr> rmrrs;
  std::vector<DmarAtsr> atsrs;
  std::vector<DmarRhsa> rhsas;
  std::vector<DmarAndd> andds;
  std::vector<DmarSatc> satcs;
  std::vector<DmarOther> others;
  bool operator==(const DmarTable&) const = default;
};

// The table's bytes: header, then the structures in type order (VT-d 8.2:
// firmware reports them in numerical type order), each list in its order;
// the unknown ones last. Length and checksum set.
std::vector<uint8_t> buildDmar(const DmarTable& table);

// The DMAR of a platform with `registerBases.size()` VT-d units (>= 1): one
// DRHD per unit on segment 0, in the order given; the last one has
// INCLUDE_PCI_ALL (VT-d 8.3: at most one per segment, listed last) and the
// others no device scope (the machine has no PCI devices to put behind them).
// `hostAddressWidth` is the field's value (N-1).
std::vector<uint8_t> buildDmarForUnits(const std::vector<uint64_t>& registerBases, uint8_t hostAddressWidth,
                                       uint8_t flags, const AcpiIds& ids);

// Parses a DMAR from untrusted bytes (a scenario file, guest memory, the
// heap's copy). Checks signature "DMAR", the SDT length and checksum (unless
// `checkChecksum` is false) and every structure and device scope length
// against its fixed part and what is left. Throws InputError
// "<source>: offset 0x..: <structure>: <what>" naming the table offset.
DmarTable parseDmar(std::span<const uint8_t> bytes, const std::string& source, bool checkChecksum = true);

}  // namespace dlsim::txt
