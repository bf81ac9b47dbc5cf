#include "svm_model/slb/skl_acceptance.h"

#include "sim/hex.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {

std::string_view sklCheckName(SklCheck check) {
  switch (check) {
    case SklCheck::ImageTooLarge: return "image_too_large";
    case SklCheck::LengthBeyondImage: return "length_beyond_image";
    case SklCheck::EntryBeyondLength: return "entry_beyond_length";
    case SklCheck::SklInfoBeyondLength: return "skl_info_beyond_length";
    case SklCheck::BootloaderDataTooSmall: return "bootloader_data_too_small";
    case SklCheck::BootloaderDataOverlapsImage: return "bootloader_data_overlaps_image";
    case SklCheck::BadVersion: return "bad_version";
    case SklCheck::BadUuid: return "bad_uuid";
  }
  return "?";
}

std::vector<SklCheckFailure> checkSklImage(const SklImage& s) {
  std::vector<SklCheckFailure> out;
  auto fail = [&](SklCheck c, std::string detail) { out.push_back({c, std::move(detail)}); };
  if (s.imageSize > kSklMaxImageSize)
    fail(SklCheck::ImageTooLarge, "image size " + hex(s.imageSize) + " > " + hex(kSklMaxImageSize));
  if (s.length > s.imageSize)
    fail(SklCheck::LengthBeyondImage, "length " + hex(s.length) + " > image size " + hex(s.imageSize));
  if (s.entry >= s.length)
    fail(SklCheck::EntryBeyondLength, "entry " + hex(s.entry) + " >= length " + hex(s.length));
  // Written as offset + 16 > length: GRUB's length - 16 would wrap below 16.
  if (uint32_t(s.sklInfoOffset) + 16u > s.length)
    fail(SklCheck::SklInfoBeyondLength,
         "skl_info offset " + hex(s.sklInfoOffset) + " > length " + hex(s.length) + " - 16");
  if (kSlbSize - s.bootloaderDataOffset < kSklMinBootloaderData)
    fail(SklCheck::BootloaderDataTooSmall, "bootloader_data offset " + hex(s.bootloaderDataOffset) +
                                               " leaves " + hex(kSlbSize - s.bootloaderDataOffset) +
                                               " bytes of the SLB, < " + hex(kSklMinBootloaderData));
  if (s.length > s.bootloaderDataOffset)
    fail(SklCheck::BootloaderDataOverlapsImage,
         "length " + hex(s.length) + " > bootloader_data offset " + hex(s.bootloaderDataOffset));
  if (!s.uuid) {
    fail(SklCheck::BadUuid, "skl_info (" + hex(kSklInfoSize) + " bytes at " + hex(s.sklInfoOffset) +
                                ") lies beyond the image (size " + hex(s.imageSize) + ")");
    return out;
  }
  if (s.version != 0u) fail(SklCheck::BadVersion, "skl_info version " + hex(*s.version) + " != 0");
  if (*s.uuid != kSklUuid) fail(SklCheck::BadUuid, "skl_info UUID is not SKL's");
  return out;
}

}  // namespace dlsim::svm
