// The machine's default e820 map: its RAM, minus the range the platform
// writes at boot and the ACPI tables (so a guest that believes the map never
// has its boot GDT, page tables or ACPI tables under it, and loaders never
// place anything there).
#include <algorithm>

#include "cpu_model/boot_scratch.h"
#include "sim/machine/machine.h"

namespace dlsim {

std::pair<uint64_t, uint64_t> Machine::bootScratchRange() const {
  return {config_.bootScratch, bootScratchEnd(config_.bootScratch)};
}

E820Map Machine::defaultE820() const {
  // What is cut out of RAM: the boot scratch range, the ACPI tables.
  const auto [rs, re] = bootScratchRange();
  std::vector<E820Entry> cuts{{rs, re - rs, E820Type::Reserved}};
  cuts.insert(cuts.end(), acpiRanges_.begin(), acpiRanges_.end());
  std::sort(cuts.begin(), cuts.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
  E820Map map;
  for (const auto& r : memory_.regions()) {
    const uint64_t end = r.base + r.size;
    uint64_t at = r.base;
    for (const E820Entry& c : cuts) {
      const uint64_t cutStart = std::clamp(c.addr, at, end), cutEnd = std::clamp(c.addr + c.size, at, end);
      if (cutStart >= cutEnd) continue;
      if (cutStart > at) map.push_back({at, cutStart - at, E820Type::Ram});
      map.push_back({cutStart, cutEnd - cutStart, c.type});
      at = cutEnd;
    }
    if (end > at) map.push_back({at, end - at, E820Type::Ram});
  }
  std::sort(map.begin(), map.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
  return map;
}

}  // namespace dlsim
