// The CPU state a loader asks the platform to start the boot CPU in. Loaders
// only describe it; the machine turns it into Unicorn registers (building a
// boot GDT, and identity page tables for long mode, where it needs them).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dlsim {

enum class EntryMode {
  Real,        // CS:IP = realModeCs:entry, 16-bit
  Protected,   // flat 4 GiB 32-bit code/data segments, paging off, EIP = entry
  Long,        // 64-bit, identity-mapped first 4 GiB (2 MiB pages), RIP = entry
};

const char* entryModeName(EntryMode m);

struct BootState {
  EntryMode mode = EntryMode::Real;
  uint64_t entry = 0;
  uint16_t realModeCs = 0;  // only for EntryMode::Real
  // General registers to set at entry, lower-case names ("eax", "ebx", "esi",
  // "rsi", ...), in the order given. Values are zero-extended.
  std::vector<std::pair<std::string, uint64_t>> registers;
};

}  // namespace dlsim
