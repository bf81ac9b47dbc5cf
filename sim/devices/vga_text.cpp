// Text rendering of the VGA text buffer for reports (see vga_text.h).
#include "sim/devices/vga_text.h"

#include <vector>

#include "sim/errors.h"

namespace dlsim {

std::string renderVgaText(const GuestMemory& mem, uint64_t base, int cols, int rows) {
  if (cols < 1 || cols > 1024) throw InputError("VGA text: cols " + std::to_string(cols) + " outside 1..1024");
  if (rows < 1 || rows > 1024) throw InputError("VGA text: rows " + std::to_string(rows) + " outside 1..1024");
  std::vector<std::string> lines;
  for (int r = 0; r < rows; ++r) {
    std::string line;
    for (int c = 0; c < cols; ++c) {
      uint8_t ch = 0;
      uint64_t addr = base + 2 * (static_cast<uint64_t>(r) * static_cast<uint64_t>(cols) + static_cast<uint64_t>(c));
      if (addr < base || !mem.readValue(addr, ch)) ch = ' ';  // wrapped or not RAM
      if (ch == 0) ch = ' ';
      line.push_back((ch >= 0x20 && ch <= 0x7E) ? static_cast<char>(ch) : '.');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out.push_back('\n');
    out += lines[i];
  }
  return out;
}

}  // namespace dlsim
