// What Multiboot 1 and 2 share: the request (kernel, cmdline, modules, e820),
// a.out-kludge loading from header address fields, module placement, and
// mem_lower/mem_upper from the e820 map.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/e820.h"
#include "sim/guest_memory.h"
#include "sim/loaders/byte_io.h"
#include "sim/loaders/image_bytes.h"
#include "sim/loaders/loaded_image.h"
#include "sim/loaders/placement.h"

namespace dlsim {

struct MultibootModule {
  std::string path;
  std::string cmdline;
  // GRUB's `module --nounzip`: a gzip'd module is placed as its file bytes,
  // not inflated (sim/loaders/image_bytes.h).
  bool nounzip = false;
};

struct MultibootRequest {
  std::string path;
  std::string cmdline;  // passed as given (GRUB users often start it with the kernel's name)
  std::vector<MultibootModule> modules;
  E820Map e820;  // empty: one RAM entry per guest RAM region
  std::optional<uint64_t> infoAddress;  // where the boot information goes; default: first fit above modules
  std::vector<GpaRange> avoid;          // ranges of earlier loads / the platform
};

inline constexpr uint64_t k4GiB = 1ull << 32;

// The e820 map the guest sees: `e820`, or when empty one RAM entry per region.
E820Map effectiveE820(const E820Map& e820, const GuestMemory& mem);

// mem_lower: KiB of usable RAM from 0 (at most 640); mem_upper: KiB of usable
// RAM from 1 MiB up to the first hole. Usable = RAM entries minus any other type.
struct MemSizes {
  uint32_t lowerKiB = 0, upperKiB = 0;
};
MemSizes memSizes(const E820Map& e820);

// Header address fields (MB1 flags bit 16, MB2 address tag).
struct AoutAddresses {
  uint32_t headerAddr = 0, loadAddr = 0, loadEndAddr = 0, bssEndAddr = 0;
};
// Plans loading per the address fields, the header having been found at file
// offset headerOffset. loadAddr 0xffffffff means "from the file's start" when
// `allowLoadFromStart` (MB2). `where` prefixes messages ("multiboot header").
// Returns [start, end) of the claimed image including bss.
GpaRange planAoutKludge(const LeReader& r, uint64_t headerOffset, const AoutAddresses& a, bool allowLoadFromStart,
                        const std::string& where, Placement& place, WritePlan& plan);

struct PlacedModule {
  uint64_t start = 0, end = 0;  // end exclusive
  std::string cmdline;
  std::string path;
  std::optional<DecompressedFile> decompressed;  // a gzip'd module inflated
};
// Reads each module into `storage` (which must outlive plan.commit),
// inflating a gzip'd one unless `nounzip` (to at most `limit` bytes), and
// places it page aligned at the first fit at or above `min`, below 4 GiB.
std::vector<PlacedModule> planModules(const std::vector<MultibootModule>& modules, uint64_t min, uint64_t limit,
                                      Placement& place, WritePlan& plan, std::vector<std::vector<uint8_t>>& storage);

// Claims the boot information block of `len` bytes: at `fixed` when given
// (must be usable, below 4 GiB, `align`-aligned), else first fit at or above `min`.
uint64_t claimInfoBlock(const std::optional<uint64_t>& fixed, uint64_t len, uint64_t align, uint64_t min,
                        Placement& place, const std::string& file);

// A Multiboot 1 or 2 kernel as loaded, for multibootLoadedImage.
struct MultibootLoad {
  std::string protocol;  // "multiboot1", "multiboot2"
  std::string path;
  const ImageBytes* image = nullptr;
  std::string format;  // "ELF32", "address fields", ...
  GpaRange kernel;     // [start, end)
  uint64_t entry = 0;
  uint32_t magic = 0;    // eax at entry
  uint64_t info = 0;     // the boot information block (ebx at entry)
  std::string infoNote;  // said after "info at X" in the summary
};
// What both protocols leave behind: the ranges `place` claimed, the boot CPU
// in protected mode at the entry with eax = magic and ebx = info, the gzip'd
// kernel and modules inflated, and the report's summary line.
LoadedImage multibootLoadedImage(const MultibootLoad& load, const std::vector<PlacedModule>& mods,
                                 const Placement& place);

}  // namespace dlsim
