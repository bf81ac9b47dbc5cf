// libFuzzer target: the SLB header and the SKL image reader and GRUB's
// acceptance checks (svm_model/slb) on untrusted bytes. Byte 0 mod 4: the
// layout to read (tags2023, slrt2024, slrt2025) or 3: the one
// detectSklLayout finds; the rest is the module. Only InputError may escape
// (and only for a module shorter than the layout's header); a parsed image,
// encoded again, parses to the same fields and fails the same checks; the
// measured bytes are the image's first `length` bytes, zero-padded to a
// multiple of 4; a detected layout reads and carries SKL's UUID.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "sim/errors.h"
#include "svm_model/slb/skl_acceptance.h"
#include "svm_model/slb/skl_image.h"
#include "svm_model/slb/slb_header.h"

using dlsim::fuzz::fail;
using dlsim::fuzz::require;
using namespace dlsim::svm;

namespace {

bool sameFields(const SklImage& a, const SklImage& b) {
  return a.layout == b.layout && a.imageSize == b.imageSize && a.entry == b.entry && a.length == b.length &&
         a.sklInfoOffset == b.sklInfoOffset && a.bootloaderDataOffset == b.bootloaderDataOffset &&
         a.uuid == b.uuid && a.version == b.version;
}

std::vector<std::string> checkTexts(const SklImage& s) {
  std::vector<std::string> out;
  for (const SklCheckFailure& f : checkSklImage(s)) out.push_back(std::string(sklCheckName(f.check)) + ": " + f.detail);
  return out;
}

void checkMeasuredBytes(std::span<const uint8_t> b) {
  SlbHeader h;
  try {
    h = readSlbHeader(b, "fuzz");
  } catch (const dlsim::InputError&) {
    require(b.size() < 4, "readSlbHeader refused a module of 4 or more bytes");
    return;
  }
  require(h.entry == uint16_t(b[0] | (b[1] << 8)) && h.length == uint16_t(b[2] | (b[3] << 8)),
          "readSlbHeader's fields are not the u16 at +0 and +2");
  const std::vector<uint8_t> m = slbMeasuredBytes(b, h.length);
  require(m.size() == slbMeasuredLength(h.length) && m.size() % 4 == 0 && m.size() >= h.length &&
              m.size() < size_t(h.length) + 4,
          "the measured bytes are not the length rounded up to 4");
  for (size_t i = 0; i < m.size(); ++i) {
    const uint8_t want = i < h.length && i < b.size() ? b[i] : 0;
    if (m[i] != want) fail("measured byte " + std::to_string(i) + " is neither the image's nor zero padding");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> b(data + 1, size - 1);
  checkMeasuredBytes(b);

  std::optional<SklLayout> layout;
  std::optional<SklLayout> detected;
  try {
    detected = detectSklLayout(b);
  } catch (const std::exception& e) {
    fail(std::string("detectSklLayout threw: ") + e.what());
  }
  switch (data[0] % 4) {
    case 0: layout = SklLayout::Tags2023; break;
    case 1: layout = SklLayout::Slrt2024; break;
    case 2: layout = SklLayout::Slrt2025; break;
    default: layout = detected;
  }
  if (!layout) return 0;
  const SklHeaderFields fields = sklHeaderFields(*layout);
  SklImage s;
  try {
    s = parseSklImage(b, *layout, "fuzz");
  } catch (const dlsim::InputError&) {
    require(b.size() < fields.headerSize, "parseSklImage refused a module that holds the whole header");
    require(!detected || *detected != *layout, "the detected layout does not read");
    return 0;
  } catch (const std::exception& e) {
    fail(std::string("exception other than InputError: ") + e.what());
  } catch (...) {
    fail("non-standard exception");
  }
  require(b.size() >= fields.headerSize, "parseSklImage read a module shorter than the header");
  require(s.imageSize == b.size(), "imageSize is not the module's size");
  require(s.uuid.has_value() == (size_t(s.sklInfoOffset) + kSklInfoSize <= b.size()),
          "skl_info read although it does not fit, or not read although it does");
  require(s.uuid.has_value() == s.version.has_value(), "UUID and version not read together");
  if (detected && *detected == *layout)
    require(!s.uuid || *s.uuid == kSklUuid, "the detected layout's skl_info is not SKL's UUID");

  std::vector<std::string> checks;
  try {
    checks = checkTexts(s);
  } catch (const std::exception& e) {
    fail(std::string("checkSklImage threw: ") + e.what());
  }
  const auto failures = checkSklImage(s);
  for (size_t i = 1; i < failures.size(); ++i)
    require(failures[i - 1].check < failures[i].check, "checkSklImage's failures are not in check order, once each");
  for (const auto& f : failures)
    require(!sklCheckName(f.check).empty() && !f.detail.empty(), "a failure without a name or detail");
  if (s.imageSize > kSklMaxImageSize)
    require(!failures.empty() && failures[0].check == SklCheck::ImageTooLarge, "an image over 60 KiB is accepted");

  try {
    const std::vector<uint8_t> again = encodeSklImage(s);
    const SklImage t = parseSklImage(again, *layout, "fuzz rebuilt");
    if (!sameFields(s, t)) fail("parse(encode(parse(x))) differs from parse(x)");
    if (checkTexts(t) != checks) fail("the re-encoded image fails other checks");
  } catch (const std::exception& e) {
    fail(std::string("a parsed image does not encode and parse again: ") + e.what());
  }
  return 0;
}
