// Symbol+offset in report text (see symbol_text.h).
#include "sim/report/symbol_text.h"

namespace dlsim {

namespace {

constexpr const char* kAt = " at 0x";

// Parses the hex digits at `pos`; `end` gets the first position after them.
std::optional<uint64_t> hexAt(const std::string& s, size_t pos, size_t& end) {
  uint64_t v = 0;
  size_t i = pos;
  for (; i < s.size() && i - pos < 16; ++i) {
    const char c = s[i];
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (d < 0) break;
    v = v << 4 | uint64_t(d);
  }
  end = i;
  if (i == pos) return std::nullopt;
  return v;
}

}  // namespace

std::optional<uint64_t> cpuCodeAddress(const CpuObservation& c) {
  auto rip = c.registers.find("rip");
  if (rip == c.registers.end()) return std::nullopt;
  if (c.mode == "real") {
    auto cs = c.registers.find("cs");
    return ((cs == c.registers.end() ? 0 : cs->second) << 4) + (rip->second & 0xffff);
  }
  return rip->second;
}

std::optional<uint64_t> namedAddress(const std::string& text) {
  const size_t at = text.find(kAt);
  if (at == std::string::npos) return std::nullopt;
  size_t end = 0;
  return hexAt(text, at + std::char_traits<char>::length(kAt), end);
}

std::string withSymbols(const std::string& text, const SymbolMap* symbols) {
  if (!symbols) return text;
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t at = text.find(kAt, pos);
    if (at == std::string::npos) break;
    size_t end = 0;
    const auto a = hexAt(text, at + std::char_traits<char>::length(kAt), end);
    out += text.substr(pos, end - pos);
    if (a) {
      const std::string sym = symbols->describe(*a);
      if (!sym.empty()) out += " <" + sym + ">";
    }
    pos = end;
  }
  return out + text.substr(pos);
}

}  // namespace dlsim
