// System.map-format symbol files (see symbol_map.h).
#include "sim/symbol_map.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t'; }

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The symbol types an address inside the image can belong to.
bool namesCodeOrData(char t) {
  switch (t) {
    case 'T': case 't': case 'D': case 'd': case 'B': case 'b': case 'R': case 'r': case 'W': case 'V':
      return true;
    default:
      return false;
  }
}

// A short, printable quote of a bad line for the message.
std::string quote(const std::string& line) {
  std::string out;
  for (char c : line.substr(0, 60)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return "\"" + out + (line.size() > 60 ? "...\"" : "\"");
}

}  // namespace

void SymbolMap::addText(const std::string& text, const std::string& file) {
  size_t pos = 0;
  size_t lineNo = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto fail = [&](const std::string& what) {
      throw InputError(file + ":" + std::to_string(lineNo) + ": " + what + " in " + quote(line) +
                       " (expected \"ADDR TYPE NAME\", System.map format)");
    };
    size_t i = 0;
    while (i < line.size() && isSpace(line[i])) ++i;
    if (i == line.size()) continue;  // blank line
    uint64_t address = 0;
    size_t digits = 0;
    for (; i < line.size() && !isSpace(line[i]); ++i, ++digits) {
      const int d = hexDigit(line[i]);
      if (d < 0) fail("address is not hexadecimal");
      if (digits == 16) fail("address has more than 16 hex digits");
      address = address << 4 | uint64_t(d);
    }
    while (i < line.size() && isSpace(line[i])) ++i;
    if (i == line.size()) fail("no symbol type after the address");
    const char type = line[i++];
    if (!isLetter(type) || (i < line.size() && !isSpace(line[i]))) fail("symbol type is not one letter");
    while (i < line.size() && isSpace(line[i])) ++i;
    if (i == line.size()) fail("no symbol name after the type");
    const size_t nameStart = i;
    while (i < line.size() && !isSpace(line[i])) {
      if (static_cast<unsigned char>(line[i]) < 0x20 || line[i] == 0x7f) fail("symbol name has a control character");
      ++i;
    }
    if (++total_ > kMaxSymbols) fail("more than " + std::to_string(kMaxSymbols) + " symbols");
    if (namesCodeOrData(type)) symbols_.push_back({address, type, line.substr(nameStart, i - nameStart)});
  }
  sort();
}

void SymbolMap::addFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path + ": symbol file does not exist or is not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path + ": cannot read the symbol file's size");
  if (size > kMaxFileBytes)
    throw InputError(path + ": symbol file of " + std::to_string(size) + " bytes is larger than the limit of " +
                     std::to_string(kMaxFileBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the symbol file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  addText(text, path);
}

void SymbolMap::sort() {
  std::stable_sort(symbols_.begin(), symbols_.end(), [](const Symbol& a, const Symbol& b) {
    return a.address != b.address ? a.address < b.address : a.name < b.name;
  });
}

const SymbolMap::Symbol* SymbolMap::lookup(uint64_t address) const {
  // The last symbol at or below the address: the first of its address (by name).
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                             [](uint64_t a, const Symbol& s) { return a < s.address; });
  if (it == symbols_.begin()) return nullptr;
  const uint64_t at = std::prev(it)->address;
  if (address - at > kMaxOffset) return nullptr;
  auto first = std::lower_bound(symbols_.begin(), it, at, [](const Symbol& s, uint64_t a) { return s.address < a; });
  return &*first;
}

std::string SymbolMap::describe(uint64_t address) const {
  const Symbol* s = lookup(address);
  if (!s) return {};
  return address == s->address ? s->name : s->name + "+" + hex(address - s->address);
}

}  // namespace dlsim
