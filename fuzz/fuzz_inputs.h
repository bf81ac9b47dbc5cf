// The byte formats the fuzz targets read, in one place so the targets and the
// seed generator (make_fuzz_seeds.cpp) agree.
//
// fuzz_tpm_command: byte 0 = flags, the rest = command bytes.
//   bits 0-2  locality (value % 5)
//   bit 3     run TPM2_Startup(CLEAR) at locality 0 first
//   bit 4     several commands: the rest is cut at each command's size field
//             (a size below 10 or beyond the remaining bytes takes all of it)
//   bit 5     engine with only the SHA-1 and SHA-256 banks (else all four)
//
// fuzz_tpm_tis: byte 0 = setup, then access records until the input ends.
//   setup bit 0: 0 TIS (FIFO), 1 CRB; bit 1: Startup(CLEAR) sent to the engine
//   directly first; bits 2-4: localities 1-3 open at power-on.
//   record: op byte, offset byte(s), value bytes (writes only)
//     op bits 0-2  locality page 0-4; 5-7 = control record (below)
//     op bit 3     write
//     op bits 4-5  size 1, 2, 4, 8
//     op bit 6     the platform marks the access as locality 4
//     op bit 7     raw offset: 2 bytes LE follow (& 0xFFF); else 1 byte that
//                  indexes the interface's register table (modulo its size)
//     writes: `size` value bytes LE follow.
//   control records (op bits 0-2 = 5, 6, 7) take one argument byte n:
//     5: open (n bit 7 = 0) or close locality 1 + n % 3
//     6: n % 3 = 0 hashStart(), 1 hashData(next n/3 % 16 bytes), 2 hashEnd()
//     7: snapshot round trip of the interface
//
// fuzz_txt_heap: byte 0 = flags (heapflags below), the rest = the heap bytes.
//
// fuzz_mle: byte 0 = flags (mleinput::kHeaderOnly: the rest is an MLE header
//   alone); else u32 page-table offset, u32 MLESize (& kMleSizeMask), u32
//   MLEHeaderBase, then 10-byte records {u16 slot, u64 value} that each store
//   value at offset (slot * 8) % kMemorySize of a zeroed memory of
//   kMemorySize bytes at guest-physical kMemoryBase (page tables need whole
//   pages; records keep inputs short).
//
// fuzz_acpi_find: byte 0 = flags (acpifind::kRsdpGiven: bytes 1-4 are the
//   RSDP address, LE; else the BIOS area is searched), then the rest, copied
//   into zeroed RAM [kRamBase, kRamBase + kRamSize) at kPlaceAt (the search
//   area's upper half; pointers elsewhere, in or outside RAM, are fair game).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

namespace dlsim::fuzz {

namespace cmdflags {
inline constexpr uint8_t kStartup = 1u << 3;
inline constexpr uint8_t kSplit = 1u << 4;
inline constexpr uint8_t kTwoBanks = 1u << 5;
}  // namespace cmdflags

namespace tisflags {
inline constexpr uint8_t kCrb = 1u << 0;
inline constexpr uint8_t kStartup = 1u << 1;
inline constexpr unsigned kOpenShift = 2;
}  // namespace tisflags

namespace op {
inline constexpr uint8_t kWrite = 1u << 3;
inline constexpr unsigned kSizeShift = 4;
inline constexpr uint8_t kPlatform = 1u << 6;
inline constexpr uint8_t kRawOffset = 1u << 7;
inline constexpr uint8_t kCtlLocality = 5, kCtlHash = 6, kCtlSnapshot = 7;
}  // namespace op

// Register offsets (inside a locality page) the table form can name. From the
// PTP FIFO and CRB register maps; 0x20/0x24/0x28 are the locality-4 HASH_END /
// HASH_DATA / HASH_START.
inline constexpr std::array<uint16_t, 16> kTisRegisters = {0x00, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x19, 0x1B,
                                                           0x20, 0x24, 0x28, 0x30, 0x80, 0xF00, 0xF04, 0x1A};
inline constexpr std::array<uint16_t, 24> kCrbRegisters = {0x00, 0x08, 0x0C, 0x30, 0x38, 0x40, 0x44, 0x48,
                                                           0x4C, 0x50, 0x54, 0x58, 0x5C, 0x60, 0x64, 0x68,
                                                           0x80, 0x84, 0x88, 0x8C, 0x20, 0x24, 0x28, 0x34};

namespace heapflags {
inline constexpr uint8_t kAfterLaunch = 1u << 0;  // parse SinitMleData too
inline constexpr uint8_t kTpm12 = 1u << 1;        // SINIT policy: TPM 1.2 (else 2.0)
inline constexpr uint8_t kGetsecOnly = 1u << 2;   // SINIT offers only GETSEC[WAKEUP]
}  // namespace heapflags

namespace acpifind {
inline constexpr uint8_t kRsdpGiven = 1u << 0;
inline constexpr uint64_t kRamBase = 0xE0000;
inline constexpr uint64_t kRamSize = 0x30000;  // the BIOS area and 64 KiB above 1 MiB
inline constexpr uint64_t kPlaceAt = 0xF0000;
inline constexpr size_t kHeaderSize = 5;        // flags + RSDP address
}  // namespace acpifind

namespace mleinput {
inline constexpr uint8_t kHeaderOnly = 1u << 0;
inline constexpr uint64_t kMemoryBase = 0x100000;
inline constexpr size_t kMemorySize = 0x10000;
inline constexpr uint32_t kMleSizeMask = 0xFFFF;
inline constexpr size_t kHeaderBytes = 12;
inline constexpr size_t kRecordBytes = 10;
// Appends a record storing `value` at memory offset `offset` (8-aligned).
inline void encodeStore(std::vector<uint8_t>& out, uint32_t offset, uint64_t value) {
  uint16_t slot = uint16_t(offset / 8);
  out.push_back(uint8_t(slot));
  out.push_back(uint8_t(slot >> 8));
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(value >> (8 * i)));
}
}  // namespace mleinput

inline unsigned sizeFromCode(unsigned code) { return 1u << (code & 3); }

// Appends one bus access in raw-offset form (the seed generator records
// drivers this way).
inline void encodeAccess(std::vector<uint8_t>& out, bool write, unsigned loc, uint32_t reg, unsigned size,
                         uint64_t value, bool platformLoc4) {
  unsigned code = size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
  uint8_t o = uint8_t(loc & 7) | uint8_t(code << op::kSizeShift) | op::kRawOffset;
  if (write) o |= op::kWrite;
  if (platformLoc4) o |= op::kPlatform;
  out.push_back(o);
  out.push_back(uint8_t(reg & 0xFF));
  out.push_back(uint8_t((reg >> 8) & 0x0F));
  if (write)
    for (unsigned i = 0; i < sizeFromCode(code); ++i) out.push_back(uint8_t(value >> (8 * i)));
}

}  // namespace dlsim::fuzz
