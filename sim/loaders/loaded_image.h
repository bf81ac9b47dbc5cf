// What a loader leaves behind: the boot CPU's entry state (when the format
// defines one), the guest physical ranges the image occupies, and one line
// for reports. The runner passes `placed` of earlier loads as `avoid` to later
// ones, so two loads of one scenario never overwrite each other silently.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/boot_state.h"

namespace dlsim {

// [first, first + second) in guest physical addresses.
using GpaRange = std::pair<uint64_t, uint64_t>;

// A gzip'd file a load inflated (sim/loaders/image_bytes.h).
struct DecompressedFile {
  std::string file;
  uint64_t fileBytes = 0;  // the gzip file's size
  uint64_t bytes = 0;      // the bytes loaded
};

struct LoadedImage {
  std::optional<BootState> boot;
  // [gpa, len) ranges the load claimed, in the order written. A bzImage's
  // claim covers init_size (the kernel decompresses into it), even where no
  // byte was written.
  std::vector<GpaRange> placed;
  std::string summary;  // one line for reports
  // The files this load inflated: the image first, then its modules in order.
  std::vector<DecompressedFile> decompressed;
};

}  // namespace dlsim
