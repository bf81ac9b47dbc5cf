#include "svm_model/slb/skl_image.h"

#include <algorithm>

#include "sim/le_reader.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {

std::string_view sklLayoutName(SklLayout layout) {
  switch (layout) {
    case SklLayout::Tags2023: return "tags2023";
    case SklLayout::Slrt2024: return "slrt2024";
    case SklLayout::Slrt2025: return "slrt2025";
  }
  return "?";
}

std::optional<SklLayout> sklLayoutFromName(std::string_view name) {
  for (SklLayout l : {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025})
    if (sklLayoutName(l) == name) return l;
  return std::nullopt;
}

SklHeaderFields sklHeaderFields(SklLayout layout) {
  switch (layout) {
    case SklLayout::Tags2023: return {4, 0, 6};
    case SklLayout::Slrt2024: return {4, 6, 8};
    case SklLayout::Slrt2025: return {0x42, 0x44, 0x46};
  }
  return {4, 0, 6};
}

namespace {

bool uuidAt(std::span<const uint8_t> image, size_t off) {
  return off <= image.size() && image.size() - off >= kSklUuid.size() &&
         std::equal(kSklUuid.begin(), kSklUuid.end(), image.begin() + std::ptrdiff_t(off));
}

uint16_t u16At(std::span<const uint8_t> image, size_t off) { return uint16_t(image[off] | (image[off + 1] << 8)); }

}  // namespace

SklImage parseSklImage(std::span<const uint8_t> image, SklLayout layout, const std::string& source) {
  LeReader r(image, source);
  SklHeaderFields f = sklHeaderFields(layout);
  std::string prefix = "SKL header (" + std::string(sklLayoutName(layout)) + ") ";
  SklImage s;
  s.layout = layout;
  s.imageSize = uint32_t(std::min<size_t>(image.size(), UINT32_MAX));
  s.entry = r.u16(0, prefix + "entry");
  s.length = r.u16(2, prefix + "length");
  s.sklInfoOffset = r.u16(f.sklInfoField, prefix + "skl_info offset");
  s.bootloaderDataOffset = f.bootloaderDataField ? r.u16(f.bootloaderDataField, prefix + "bootloader_data offset")
                                                 : s.length;
  if (r.has(s.sklInfoOffset, kSklInfoSize)) {
    std::array<uint8_t, 16> u{};
    std::copy_n(image.begin() + s.sklInfoOffset, u.size(), u.begin());
    s.uuid = u;
    s.version = r.u32(s.sklInfoOffset + 16u, "skl_info version");
  }
  return s;
}

std::vector<uint8_t> encodeSklImage(const SklImage& s) {
  SklHeaderFields f = sklHeaderFields(s.layout);
  std::vector<uint8_t> out(std::max<size_t>(s.imageSize, f.headerSize), 0);
  auto put16 = [&](size_t off, uint16_t v) {
    out[off] = uint8_t(v);
    out[off + 1] = uint8_t(v >> 8);
  };
  put16(0, s.entry);
  put16(2, s.length);
  put16(f.sklInfoField, s.sklInfoOffset);
  if (f.bootloaderDataField) put16(f.bootloaderDataField, s.bootloaderDataOffset);
  if (s.uuid && size_t(s.sklInfoOffset) + kSklInfoSize <= out.size()) {
    std::copy(s.uuid->begin(), s.uuid->end(), out.begin() + s.sklInfoOffset);
    uint32_t v = s.version.value_or(0);
    for (int i = 0; i < 4; ++i) out[s.sklInfoOffset + 16u + unsigned(i)] = uint8_t(v >> (8 * i));
  }
  return out;
}

std::optional<SklLayout> detectSklLayout(std::span<const uint8_t> image) {
  if (image.size() >= 0x46 && uuidAt(image, u16At(image, 0x42))) return SklLayout::Slrt2025;
  if (image.size() < 8 || !uuidAt(image, u16At(image, 4))) return std::nullopt;
  uint16_t length = u16At(image, 2);
  uint16_t data = u16At(image, 6);
  bool plausibleSlrt = data % 4 == 0 && data >= length && kSlbSize - data >= 0x1000;
  return plausibleSlrt ? SklLayout::Slrt2024 : SklLayout::Tags2023;
}

}  // namespace dlsim::svm
