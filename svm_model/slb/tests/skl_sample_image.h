// The SKL image the slb tests start from: a 0x3000-byte image, entry 0x100,
// length 0x2ffe, skl_info at 0x2f00 with the SKL UUID and version 0; the
// bootloader data offset is the length in the tags2023 layout (there it
// ends the image) and 0xd4d4 in the others.
#pragma once
#include "svm_model/slb/skl_image.h"

namespace dlsim::svm::test {

inline SklImage sampleSklImage(SklLayout layout = SklLayout::Slrt2025) {
  SklImage s;
  s.layout = layout;
  s.imageSize = 0x3000;
  s.entry = 0x100;
  s.length = 0x2ffe;
  s.sklInfoOffset = 0x2f00;
  s.bootloaderDataOffset = layout == SklLayout::Tags2023 ? s.length : 0xd4d4;
  s.uuid = kSklUuid;
  s.version = 0;
  return s;
}

}  // namespace dlsim::svm::test
