// The scenario's "txt.bios_data": the BiosData table a real BIOS writes at
// TXT.HEAP.BASE before handing over (Intel TXT Software Development Guide
// appendix C.2; shared/spec/intel-txt.md §3), so pre-launch guest code and
// tboot find it there at the first instruction. docs/scenario-format.md,
// "txt.bios_data".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/json_reader.h"
#include "txt_model/heap/heap_types.h"

namespace dlsim {
class GuestMemory;
}

namespace dlsim::txt {

struct BiosDataSpec {
  uint32_t version = 6;  // 6: the TPM 2.0 platforms of today
  uint32_t biosSinitSize = 0;
  uint64_t lcpPdBase = 0, lcpPdSize = 0;
  std::optional<uint32_t> numLogicalProcs;  // unset: the machine's CPU count
  uint32_t sinitFlags = 0;                  // v3+
  uint32_t mleFlags = 0;                    // v3+ in the layout (defined from v5)
  std::optional<heap::BiosSpecVer> biosSpecVer;  // v4+: BIOS_SPEC_VER element
  std::optional<std::vector<uint64_t>> acmAddresses;  // v4+: ACM element
};

// Reads "bios_data"; InputError naming the pointer and the value.
BiosDataSpec parseBiosDataSpec(const JsonValue& v);

// The table for a machine of `cpuCount` CPUs.
heap::BiosData biosDataOf(const BiosDataSpec& s, int cpuCount);

// Writes the table (with its size field) at `heapBase` as the BIOS does at
// power-on. InputError ("FILE: /txt/bios_data: ...") when it does not fit
// in HEAP.SIZE or the heap is not RAM.
void writeBiosData(GuestMemory& memory, const BiosDataSpec& s, int cpuCount, uint64_t heapBase, uint64_t heapSize,
                   const std::string& scenarioFile);

}  // namespace dlsim::txt
