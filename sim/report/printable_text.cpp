// UTF-8 validation and control-character escaping for human/XML output.
#include "sim/report/printable_text.h"

#include <cstdint>
#include <cstdio>

namespace dlsim {

namespace {

void escapeByte(std::string& out, uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", b);
  out += buf;
}

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode table
// 3-7), or 0 when it is not one. Sets cp to the code point.
size_t utf8Sequence(const std::string& s, size_t i, uint32_t& cp) {
  auto at = [&](size_t k) -> int { return i + k < s.size() ? uint8_t(s[i + k]) : -1; };
  int b0 = at(0);
  auto cont = [&](size_t k, int lo = 0x80, int hi = 0xbf) {
    int b = at(k);
    return b >= lo && b <= hi;
  };
  if (b0 < 0x80) {
    cp = uint32_t(b0);
    return 1;
  }
  if (b0 >= 0xc2 && b0 <= 0xdf && cont(1)) {
    cp = uint32_t(b0 & 0x1f) << 6 | uint32_t(at(1) & 0x3f);
    return 2;
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    int lo = b0 == 0xe0 ? 0xa0 : 0x80, hi = b0 == 0xed ? 0x9f : 0xbf;
    if (cont(1, lo, hi) && cont(2)) {
      cp = uint32_t(b0 & 0x0f) << 12 | uint32_t(at(1) & 0x3f) << 6 | uint32_t(at(2) & 0x3f);
      return 3;
    }
    return 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    int lo = b0 == 0xf0 ? 0x90 : 0x80, hi = b0 == 0xf4 ? 0x8f : 0xbf;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      cp = uint32_t(b0 & 0x07) << 18 | uint32_t(at(1) & 0x3f) << 12 | uint32_t(at(2) & 0x3f) << 6 |
           uint32_t(at(3) & 0x3f);
      return 4;
    }
  }
  return 0;
}

}  // namespace

std::string printableText(const std::string& text, bool keepNewlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t n = utf8Sequence(text, i, cp);
    if (n == 0) {
      escapeByte(out, uint8_t(text[i]));
      ++i;
      continue;
    }
    if (keepNewlines && cp == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;  // "\r\n" -> "\n"
      continue;
    }
    bool keep = cp == '\t' || (keepNewlines && cp == '\n');
    bool control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
    if (control && !keep) {
      for (size_t k = 0; k < n; ++k) escapeByte(out, uint8_t(text[i + k]));
    } else {
      out.append(text, i, n);
    }
    i += n;
  }
  return out;
}

}  // namespace dlsim
