// The BIOS e820 memory map handed to guests (multiboot mmap, boot_params).
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim {

enum class E820Type : uint32_t {
  Ram = 1,
  Reserved = 2,
  Acpi = 3,
  Nvs = 4,
  Unusable = 5,
};

struct E820Entry {
  uint64_t addr = 0;
  uint64_t size = 0;
  E820Type type = E820Type::Ram;
};

using E820Map = std::vector<E820Entry>;

}  // namespace dlsim
