// The checks TrenchBoot GRUB makes before it accepts a module as an SKL
// (grub-core/loader/slaunch/skl.c as posted in 2025; amd-skinit.md 4.1),
// applied to any of the three layouts (tags2023: bootloader data offset =
// length). Each failure has a stable name for reports and tests.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "svm_model/slb/skl_image.h"

namespace dlsim::svm {

enum class SklCheck {
  ImageTooLarge,            // module size > 64 KiB - 4 KiB
  LengthBeyondImage,        // header length > module size
  EntryBeyondLength,        // entry >= length
  SklInfoBeyondLength,      // skl_info offset > length - 16
  BootloaderDataTooSmall,   // 64 KiB - bootloader_data offset < 4 KiB
  BootloaderDataOverlapsImage,  // length > bootloader_data offset
  BadVersion,               // skl_info version != 0
  BadUuid,                  // skl_info UUID is not SKL's (or lies beyond the image)
};

inline constexpr uint32_t kSklMaxImageSize = 0x10000 - 0x1000;
inline constexpr uint32_t kSklMinBootloaderData = 0x1000;

// "image_too_large", "length_beyond_image", ...
std::string_view sklCheckName(SklCheck check);

struct SklCheckFailure {
  SklCheck check;
  std::string detail;  // the values that failed, e.g. "entry 0x40 >= length 0x40"
};

// Every failed check, in the order above; empty when GRUB would accept.
std::vector<SklCheckFailure> checkSklImage(const SklImage& image);

}  // namespace dlsim::svm
