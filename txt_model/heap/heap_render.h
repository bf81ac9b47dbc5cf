// The heap for reports, with the fields Debian's txt-stat prints for it
// (tboot txt/heap.c print_bios_data / print_os_mle_data /
// print_os_sinit_data / print_sinit_mle_data, field names kept), so a field
// report and a dlsim run compare side by side; and the same as JSON.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "txt_model/heap/heap_parse.h"

namespace dlsim::txt::heap {

// `heapBase` places the tables ("bios_data (@0x..., size)").
std::string renderHeapText(const HeapParse& parsed, uint64_t heapBase);

// {"heap_base", "heap_size", "bios_data", "os_mle_data", "os_sinit_data",
//  "sinit_mle_data", "failures": [{"rule", "detail", "offset"}]}; absent
// tables are null. Keys in a fixed order; numbers that are addresses or
// flags are "0x..." strings, digests lower-case hex.
nlohmann::ordered_json renderHeapJson(const HeapParse& parsed, uint64_t heapBase);

// Capability bits by name ("rlp_wake_getsec", ...), as tboot's print_txt_caps.
std::string capabilityNames(uint32_t caps);

}  // namespace dlsim::txt::heap
