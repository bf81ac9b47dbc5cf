// A TrenchBoot secure kernel loader (SKL) image as the boot loader sees it:
// the SLB header followed by one of three header layouts (docs/skl.md,
// amd-skinit.md 4.1), all u16 little-endian offsets from the image start:
//
//   layout     +0     +2      skl_info  bootloader data           bootloader data holds
//   tags2023   entry  length  +4        = length (measured end)    a tag list (type u8, len u8)
//   slrt2024   entry  length  +4        +6                         an SLRT (u16 entry headers)
//   slrt2025   entry  length  +0x42     +0x44                      an SLRT (u32 entry headers);
//                                                                  +4..+0x41 = AMD DRTM header (opaque)
//
// skl_info: 16-byte UUID 78f1268e-0492-11e9-832a-c85b76c4cc02, u32 version
// (0); older SKL and GRUB follow it with u16 msb_key_algo and a 64-byte hash.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dlsim::svm {

enum class SklLayout { Tags2023, Slrt2024, Slrt2025 };

// "tags2023", "slrt2024", "slrt2025": the names scenarios and reports use.
std::string_view sklLayoutName(SklLayout layout);
std::optional<SklLayout> sklLayoutFromName(std::string_view name);

inline constexpr std::array<uint8_t, 16> kSklUuid = {0x78, 0xf1, 0x26, 0x8e, 0x04, 0x92, 0x11, 0xe9,
                                                     0x83, 0x2a, 0xc8, 0x5b, 0x76, 0xc4, 0xcc, 0x02};
inline constexpr uint32_t kSklInfoSize = 20;  // UUID + u32 version (the part every layout shares)

// Where a layout keeps its two offset fields (bootloaderDataField 0: none, the
// bootloader data starts at the measured length).
struct SklHeaderFields {
  uint16_t sklInfoField;
  uint16_t bootloaderDataField;
  uint16_t headerSize;  // bytes the header occupies (the image must hold them)
};
SklHeaderFields sklHeaderFields(SklLayout layout);

struct SklImage {
  SklLayout layout = SklLayout::Slrt2025;
  uint32_t imageSize = 0;  // the module's size in bytes
  uint16_t entry = 0;
  uint16_t length = 0;
  uint16_t sklInfoOffset = 0;
  uint16_t bootloaderDataOffset = 0;  // tags2023: = length
  // Present when the image holds the 20 bytes at sklInfoOffset.
  std::optional<std::array<uint8_t, 16>> uuid;
  std::optional<uint32_t> version;
};

// Reads an image in `layout`. Throws InputError naming `source` and the field
// only when the image is shorter than the layout's header; every other
// problem (offsets out of range, wrong UUID) is for checkSklImage to name.
SklImage parseSklImage(std::span<const uint8_t> image, SklLayout layout, const std::string& source);

// An image of s.imageSize bytes (at least the header's) holding s's header
// fields and, when s.uuid is set and fits, skl_info (UUID, version); every
// other byte zero. For tests and synthetic SKLs.
std::vector<uint8_t> encodeSklImage(const SklImage& s);

// The layout whose skl_info offset points at the SKL UUID: slrt2025 if the
// offset at +0x42 does; otherwise, if the one at +4 does, slrt2024 when the
// u16 at +6 is a plausible SLRT offset (4-aligned, >= length, leaving at least
// 4 KiB of the SLB) and tags2023 when not. nullopt when neither points at it.
std::optional<SklLayout> detectSklLayout(std::span<const uint8_t> image);

}  // namespace dlsim::svm
