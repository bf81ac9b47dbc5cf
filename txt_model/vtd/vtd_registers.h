// Register offsets and bits of an Intel VT-d DMA-remapping hardware unit
// (Intel VT-d specification, chapter 11 "Register Descriptions" (chapter 10
// before rev. 3.0); facts, as secure-launch code uses them: tboot
// include/vtd.h and txt/vtd.c, Linux drivers/iommu/intel/dmar.c and
// iommu.c, coreboot src/soc/intel/common/block/include/intelblocks/vtd.h).
#pragma once
#include <cstdint>

namespace dlsim::txt::vtd {

// Register offsets in the unit's 4 KiB register page.
inline constexpr uint64_t kVer = 0x00;       // 32-bit: version, [7:4] major, [3:0] minor
inline constexpr uint64_t kCap = 0x08;       // 64-bit, RO
inline constexpr uint64_t kEcap = 0x10;      // 64-bit, RO
inline constexpr uint64_t kGcmd = 0x18;      // 32-bit, WO (reads 0)
inline constexpr uint64_t kGsts = 0x1c;      // 32-bit, RO
inline constexpr uint64_t kRtaddr = 0x20;    // 64-bit
inline constexpr uint64_t kCcmd = 0x28;      // 64-bit
inline constexpr uint64_t kFsts = 0x34;      // 32-bit
inline constexpr uint64_t kFectl = 0x38;     // 32-bit
inline constexpr uint64_t kFedata = 0x3c;    // 32-bit
inline constexpr uint64_t kFeaddr = 0x40;    // 32-bit
inline constexpr uint64_t kFeuaddr = 0x44;   // 32-bit
inline constexpr uint64_t kAflog = 0x58;     // 64-bit
inline constexpr uint64_t kPmen = 0x64;      // 32-bit
inline constexpr uint64_t kPlmbase = 0x68;   // 32-bit
inline constexpr uint64_t kPlmlimit = 0x6c;  // 32-bit
inline constexpr uint64_t kPhmbase = 0x70;   // 64-bit
inline constexpr uint64_t kPhmlimit = 0x78;  // 64-bit
inline constexpr uint64_t kIqh = 0x80;       // 64-bit, RO
inline constexpr uint64_t kIqt = 0x88;       // 64-bit
inline constexpr uint64_t kIqa = 0x90;       // 64-bit
inline constexpr uint64_t kIcs = 0x9c;       // 32-bit
inline constexpr uint64_t kIectl = 0xa0;     // 32-bit
inline constexpr uint64_t kIedata = 0xa4;    // 32-bit
inline constexpr uint64_t kIeaddr = 0xa8;    // 32-bit
inline constexpr uint64_t kIeuaddr = 0xac;   // 32-bit
inline constexpr uint64_t kIrta = 0xb8;      // 64-bit
inline constexpr uint64_t kRegisterPage = 0x1000;

// CAP_REG fields.
inline constexpr uint64_t kCapNdMask = 0x7;              // [2:0] number of domains
inline constexpr uint64_t kCapRwbf = 1ull << 4;          // write-buffer flushing required
inline constexpr uint64_t kCapPlmr = 1ull << 5;          // protected low-memory region
inline constexpr uint64_t kCapPhmr = 1ull << 6;          // protected high-memory region
inline constexpr unsigned kCapSagawShift = 8;            // [12:8] supported guest address widths
inline constexpr unsigned kCapMgawShift = 16;            // [21:16] maximum guest address width - 1
inline constexpr unsigned kCapFroShift = 24;             // [33:24] fault-recording register offset / 16
inline constexpr unsigned kCapNfrShift = 40;             // [47:40] fault-recording registers - 1
// ECAP_REG fields.
inline constexpr uint64_t kEcapQi = 1ull << 1;           // queued invalidation
inline constexpr unsigned kEcapIroShift = 8;             // [17:8] IOTLB register offset / 16

// GCMD_REG commands and the GSTS_REG bits that report them (same positions).
inline constexpr uint32_t kGcmdTe = 1u << 31;     // translation enable        / TES
inline constexpr uint32_t kGcmdSrtp = 1u << 30;   // set root-table pointer    / RTPS
inline constexpr uint32_t kGcmdSfl = 1u << 29;    // set fault log             / FLS
inline constexpr uint32_t kGcmdEafl = 1u << 28;   // enable advanced fault log / AFLS
inline constexpr uint32_t kGcmdWbf = 1u << 27;    // write-buffer flush        / WBFS
inline constexpr uint32_t kGcmdQie = 1u << 26;    // queued invalidation enable / QIES
inline constexpr uint32_t kGcmdIre = 1u << 25;    // interrupt remapping enable / IRES
inline constexpr uint32_t kGcmdSirtp = 1u << 24;  // set interrupt remap table pointer / IRTPS
inline constexpr uint32_t kGcmdCfi = 1u << 23;    // compatibility format interrupt / CFIS
// The one-shot commands: software clears them from a GSTS value it writes
// back ("Status & 0x96FFFFFF", VT-d spec GCMD_REG; tboot's vtd.c does so).
inline constexpr uint32_t kGcmdOneShot = kGcmdSrtp | kGcmdSfl | kGcmdWbf | kGcmdSirtp;

// PMEN_REG.
inline constexpr uint32_t kPmenEpm = 1u << 31;  // enable protected memory
inline constexpr uint32_t kPmenPrs = 1u << 0;   // protected region status (RO)

// CCMD_REG and IOTLB_REG.
inline constexpr uint64_t kCcmdIcc = 1ull << 63;          // invalidate context cache (cleared when done)
inline constexpr unsigned kCcmdCirgShift = 61;            // [62:61] requested granularity
inline constexpr unsigned kCcmdCaigShift = 59;            // [60:59] actual granularity
inline constexpr uint64_t kIotlbIvt = 1ull << 63;         // invalidate IOTLB (cleared when done)
inline constexpr unsigned kIotlbIirgShift = 60;           // [61:60] requested granularity
inline constexpr unsigned kIotlbIaigShift = 57;           // [58:57] actual granularity

// FECTL_REG.
inline constexpr uint32_t kFectlIm = 1u << 31;  // interrupt mask (set at reset)

}  // namespace dlsim::txt::vtd
