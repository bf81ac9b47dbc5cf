// Linux bzImage loader using the 32-bit boot protocol (Documentation/arch/x86/
// boot.rst, protocol 2.12 and later): the protected-mode kernel at its load
// address, a zero page (struct boot_params) with the setup header, command
// line, initrd and e820 table, entry at code32_start with esi = boot_params.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/e820.h"
#include "sim/guest_memory.h"
#include "sim/loaders/byte_io.h"
#include "sim/loaders/loaded_image.h"

namespace dlsim {

struct BzImageRequest {
  std::string path;
  std::string cmdline;
  std::optional<std::string> initrd;
  E820Map e820;                // empty: one RAM entry per guest RAM region
  std::vector<GpaRange> avoid;  // ranges of earlier loads / the platform
};

// kernel_info (protocol 2.15+), found at kernel_info_offset from the start of
// the protected-mode kernel.
struct BzKernelInfo {
  uint32_t size = 0, sizeTotal = 0, setupTypeMax = 0;
  std::optional<uint32_t> mleHeaderOffset;  // Secure Launch, when size covers +0x10
};

// The setup header fields the loader uses, validated.
struct BzImageHeader {
  uint8_t setupSects = 0;  // after "0 means 4"
  uint16_t version = 0;
  uint8_t loadflags = 0;
  uint32_t kernelAlignment = 0;
  bool relocatable = false;
  uint16_t xloadflags = 0;
  uint32_t cmdlineSize = 0;
  uint32_t initrdAddrMax = 0;
  uint64_t prefAddress = 0;
  uint32_t initSize = 0;
  uint32_t kernelInfoOffset = 0;
  uint64_t headerEnd = 0;  // 0x202 + the jump's displacement byte at 0x201
  uint64_t pmOffset = 0, pmSize = 0;  // the protected-mode kernel in the file
  std::optional<BzKernelInfo> kernelInfo;
};

inline constexpr uint8_t kLoadedHigh = 0x01;
inline constexpr uint16_t kXlfCanBeLoadedAbove4G = 0x02;

// Throws InputError naming the file, field and value when the image is not a
// usable bzImage.
BzImageHeader parseBzImageHeader(const LeReader& r);

LoadedImage loadBzImage(GuestMemory& mem, const BzImageRequest& req);

}  // namespace dlsim
