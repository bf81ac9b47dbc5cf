#include "txt_model/acm/bios_acm_builder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "sim/errors.h"
#include "sim/hex.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_signing_key.h"

namespace dlsim::txt {

std::vector<uint8_t> buildBiosAcmStandIn(const TxtProfile& profile, std::span<const uint8_t> code, uint32_t segSel) {
  std::vector<uint8_t> b = buildSinitAcm(profile);
  const uint64_t need = uint64_t{kSimSinitEntryOffset} + code.size();
  const uint64_t size = std::max<uint64_t>(kSimSinitSize, (need + 0xFFF) & ~uint64_t{0xFFF});
  const uint64_t area = profile.maxAcmSize & ~0x1Fu;
  if (size > area)
    throw InputError("the BIOS ACM stand-in (" + hex(size) + " bytes with " + std::to_string(code.size()) +
                     " bytes of code) exceeds the AC execution area " + hex(area) + " of profile \"" + profile.name +
                     "\"");
  b.resize(size, 0);
  auto put32 = [&](uint64_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  put32(acm_off::kSize, static_cast<uint32_t>(size / 4));
  put32(acm_off::kSegSel, segSel);
  const AcmHeader first = parseAcmHeader(b, "BIOS ACM stand-in");
  b[first.userAreaOffset() + 0x10] = kAcmChipsetTypeBios;  // information table ChipsetACMType
  std::fill(b.begin() + kSimSinitMarkerOffset, b.begin() + kSimSinitEntryOffset, 0);
  const std::string marker = std::string(kBiosAcmMarker) + " profile=" + profile.name;
  std::memcpy(b.data() + kSimSinitMarkerOffset, marker.data(),
              std::min<size_t>(marker.size(), kSimSinitEntryOffset - kSimSinitMarkerOffset - 1));
  std::fill(b.begin() + kSimSinitEntryOffset, b.end(), 0);
  std::copy(code.begin(), code.end(), b.begin() + kSimSinitEntryOffset);
  const AcmHeader h = parseAcmHeader(b, "BIOS ACM stand-in");
  const std::vector<uint8_t> sig = acmSign(acmDigestInput(b, h));
  std::copy(sig.begin(), sig.end(), b.begin() + acm_off::kRsaKey + h.keySize * 4 + 4);
  return b;
}

}  // namespace dlsim::txt
