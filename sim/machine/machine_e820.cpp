// The machine's default e820 map: its RAM, minus the range the platform
// writes at boot (so a guest that believes the map never has its boot GDT or
// page tables under it, and loaders never place anything there).
#include <algorithm>

#include "cpu_model/boot_scratch.h"
#include "sim/machine/machine.h"

namespace dlsim {

std::pair<uint64_t, uint64_t> Machine::bootScratchRange() const {
  return {config_.bootScratch, bootScratchEnd(config_.bootScratch)};
}

E820Map Machine::defaultE820() const {
  const auto [rs, re] = bootScratchRange();
  E820Map map;
  for (const auto& r : memory_.regions()) {
    const uint64_t end = r.base + r.size;
    const uint64_t cutStart = std::clamp(rs, r.base, end), cutEnd = std::clamp(re, r.base, end);
    if (cutStart >= cutEnd) {
      map.push_back({r.base, r.size, E820Type::Ram});
      continue;
    }
    if (cutStart > r.base) map.push_back({r.base, cutStart - r.base, E820Type::Ram});
    map.push_back({cutStart, cutEnd - cutStart, E820Type::Reserved});
    if (end > cutEnd) map.push_back({cutEnd, end - cutEnd, E820Type::Ram});
  }
  std::sort(map.begin(), map.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
  return map;
}

}  // namespace dlsim
