// The AMD IOMMU (AMD-Vi) facts the model uses: the PCI capability at
// 00:00.2, the MMIO registers, control and status bits, command and event
// codes, device-table-entry bits. Sources: Linux drivers/iommu/amd/
// amd_iommu_types.h (register offsets, bits, command/event encodings),
// TrenchBoot secure-kernel-loader include/iommu.h and iommu.c (what SKL
// programs), /work/shared/spec/amd-skinit.md 3.3.
#pragma once
#include <cstdint>

namespace dlsim::svm::iommu {

inline constexpr uint16_t kRequesterId = 0x0002;  // 00:00.2: the IOMMU's own DMA
inline constexpr uint64_t kMmioSize = 0x4000;     // 16 KiB

// PCI capability (ID 0x0F, capability type 3 = IOMMU).
inline constexpr uint8_t kCapId = 0x0F;
inline constexpr uint16_t kCapOffset = 0x40;
inline constexpr uint32_t kCapTypeIommu = 3u << 16;  // bits 18:16
inline constexpr uint32_t kCapRev1 = 1u << 19;       // bits 23:19
inline constexpr uint32_t kCapEfrSup = 1u << 27;     // MMIO 0x30 is implemented
inline constexpr uint32_t kBaseLoEnable = 1u << 0;
inline constexpr uint32_t kBaseLoAddressMask = 0xFFFFC000u;  // bits 31:14

// MMIO register offsets (each 64 bits).
inline constexpr uint64_t kDevTableBase = 0x00;
inline constexpr uint64_t kCmdBufBase = 0x08;
inline constexpr uint64_t kEventLogBase = 0x10;
inline constexpr uint64_t kControl = 0x18;
inline constexpr uint64_t kExclusionBase = 0x20;
inline constexpr uint64_t kExclusionLimit = 0x28;
inline constexpr uint64_t kExtendedFeatures = 0x30;
inline constexpr uint64_t kCmdBufHead = 0x2000;
inline constexpr uint64_t kCmdBufTail = 0x2008;
inline constexpr uint64_t kEventLogHead = 0x2010;
inline constexpr uint64_t kEventLogTail = 0x2018;
inline constexpr uint64_t kStatus = 0x2020;

// Writable bits of the base registers.
inline constexpr uint64_t kAddressMask = 0x000FFFFFFFFFF000ull;  // bits 51:12
inline constexpr uint64_t kDevTableSizeMask = 0x1FF;              // (size + 1) * 4 KiB
inline constexpr unsigned kLenShift = 56;                         // ComLen / EventLen, bits 59:56
inline constexpr uint64_t kLenMask = 0xFull << kLenShift;
inline constexpr uint64_t kPointerMask = 0x7FFF0;  // head / tail bits 18:4

// Control.
inline constexpr uint64_t kCtlIommuEn = 1ull << 0;
inline constexpr uint64_t kCtlEventLogEn = 1ull << 2;
inline constexpr uint64_t kCtlCmdBufEn = 1ull << 12;

// Exclusion base.
inline constexpr uint64_t kExEn = 1ull << 0;
inline constexpr uint64_t kExAllow = 1ull << 1;

// Extended features.
inline constexpr uint64_t kEfrPrefSup = 1ull << 0;
inline constexpr uint64_t kEfrPprSup = 1ull << 1;
inline constexpr uint64_t kEfrIaSup = 1ull << 6;

// Status: 0..2 write 1 to clear; 3, 4 read-only.
inline constexpr uint64_t kStEventOverflow = 1ull << 0;
inline constexpr uint64_t kStEventLogInt = 1ull << 1;
inline constexpr uint64_t kStComWaitInt = 1ull << 2;
inline constexpr uint64_t kStEventLogRun = 1ull << 3;
inline constexpr uint64_t kStCmdBufRun = 1ull << 4;
inline constexpr uint64_t kStWriteOneToClear = kStEventOverflow | kStEventLogInt | kStComWaitInt;

// Commands: 16 bytes, opcode in bits 31:28 of the second dword.
inline constexpr uint8_t kCmdCompletionWait = 1;
inline constexpr uint8_t kCmdInvalidateDevTabEntry = 2;
inline constexpr uint8_t kCmdInvalidateIommuPages = 3;
inline constexpr uint8_t kCmdInvalidateIotlbPages = 4;
inline constexpr uint8_t kCmdInvalidateInterruptTable = 5;
inline constexpr uint8_t kCmdPrefetchIommuPages = 6;
inline constexpr uint8_t kCmdCompletePprRequest = 7;
inline constexpr uint8_t kCmdInvalidateIommuAll = 8;
// COMPLETION_WAIT first dword: S (store), I (interrupt), F (flush).
inline constexpr uint32_t kCompletionStore = 1u << 0;
inline constexpr uint32_t kCompletionInterrupt = 1u << 1;

// Event log entries: 16 bytes; device id in dword 0 bits 15:0, flags in
// dword 1 bits 27:16, event code in dword 1 bits 31:28, address in dwords 2-3.
inline constexpr uint8_t kEvIllegalDevTableEntry = 0x1;
inline constexpr uint8_t kEvIoPageFault = 0x2;
inline constexpr uint8_t kEvDevTabHardwareError = 0x3;
inline constexpr uint8_t kEvIllegalCommand = 0x5;
inline constexpr uint8_t kEvCommandHardwareError = 0x6;
inline constexpr uint16_t kEvFlagWrite = 0x020;  // IO_PAGE_FAULT: the access was a write (RW)

// Device table entry (32 bytes, four quadwords).
inline constexpr uint64_t kDteSize = 32;
inline constexpr uint64_t kDteV = 1ull << 0;
inline constexpr uint64_t kDteTv = 1ull << 1;
inline constexpr unsigned kDteModeShift = 9;  // bits 11:9
inline constexpr uint64_t kDteIr = 1ull << 61;
inline constexpr uint64_t kDteIw = 1ull << 62;
inline constexpr uint64_t kDteQ1Se = 1ull << (97 - 64);  // suppress I/O page fault events
inline constexpr uint64_t kDteQ1Ex = 1ull << (103 - 64); // exclusion range applies to this device

}  // namespace dlsim::svm::iommu
