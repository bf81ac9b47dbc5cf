// The ACPI I/O Virtualization Reporting Structure (IVRS) firmware gives for
// an AMD IOMMU, as Linux parses it (drivers/iommu/amd/init.c; facts in
// /work/shared/spec/amd-skinit.md 3.3): the 36-byte SDT header, IVinfo (u32)
// at 36, 8 reserved bytes, then I/O virtualization definition blocks from 48.
// This builds type-10h IVHD blocks (24-byte fixed part) with 4-byte device
// entries, and IVMD blocks (32 bytes). SKL does not read IVRS (it hard-codes
// 00:00.2); an OS launched after it does.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/acpi/acpi_sdt.h"

namespace dlsim::svm {

inline constexpr uint64_t kIvrsIvInfo = 36;  // u32
inline constexpr uint64_t kIvrsBlocks = 48;  // first IVHD / IVMD
// IVinfo: bits 21:15 virtual address size, 14:8 physical address size, 7:5
// guest virtual address size (010b: 48 bits), bit 0 EFRSup.
inline constexpr uint32_t kIvInfoDefault = (64u << 15) | (48u << 8) | (2u << 5);

// IVHD type 10h fixed part (24 bytes) offsets inside the block.
inline constexpr uint8_t kIvhdType10 = 0x10;
inline constexpr uint64_t kIvhdFixedSize = 24;
inline constexpr uint64_t kIvhdLength = 2;       // u16, whole block
inline constexpr uint64_t kIvhdDeviceId = 4;     // u16: the IOMMU's own BDF
inline constexpr uint64_t kIvhdCapOffset = 6;    // u16
inline constexpr uint64_t kIvhdBase = 8;         // u64: MMIO base
inline constexpr uint64_t kIvhdSegment = 16;     // u16
inline constexpr uint64_t kIvhdInfo = 18;        // u16: MSI number 4:0, unit id 12:8
inline constexpr uint64_t kIvhdFeatures = 20;    // u32

// 4-byte device entry types: type u8, device id u16, data setting u8.
inline constexpr uint8_t kIvhdEntryAll = 0x01;
inline constexpr uint8_t kIvhdEntrySelect = 0x02;
inline constexpr uint8_t kIvhdEntryRangeStart = 0x03;
inline constexpr uint8_t kIvhdEntryRangeEnd = 0x04;

// IVMD types and flags.
inline constexpr uint8_t kIvmdAll = 0x20;
inline constexpr uint8_t kIvmdOne = 0x21;
inline constexpr uint8_t kIvmdRange = 0x22;
inline constexpr uint64_t kIvmdSize = 32;
inline constexpr uint8_t kIvmdUnity = 1u << 0;
inline constexpr uint8_t kIvmdExclusion = 1u << 3;

struct IvhdEntry {
  uint8_t type = kIvhdEntryAll;
  uint16_t deviceId = 0;
  uint8_t data = 0;
};

struct Ivhd {
  uint8_t flags = 0;
  uint16_t deviceId = 0x0002;  // 00:00.2
  uint16_t capOffset = 0x40;
  uint64_t mmioBase = 0;
  uint16_t segment = 0;
  uint16_t info = 0;
  uint32_t features = 0;
  std::vector<IvhdEntry> entries;
};

struct Ivmd {
  uint8_t type = kIvmdAll;
  uint8_t flags = 0;
  uint16_t deviceId = 0;
  uint16_t auxData = 0;  // IVMD 22h: last device id of the range
  uint64_t start = 0;
  uint64_t length = 0;
};

struct IvrsTable {
  uint8_t revision = 2;
  AcpiIds ids;
  uint32_t ivInfo = kIvInfoDefault;
  std::vector<Ivhd> ivhds;
  std::vector<Ivmd> ivmds;
};

std::vector<uint8_t> buildIvrs(const IvrsTable& t);

// One IOMMU at 00:00.2 (capability at 0x40) with its MMIO base, handling the
// devices firstDevice..lastDevice (a range-start / range-end entry pair).
std::vector<uint8_t> buildIvrsForIommu(uint64_t mmioBase, uint16_t firstDevice, uint16_t lastDevice,
                                       const AcpiIds& ids);

}  // namespace dlsim::svm
