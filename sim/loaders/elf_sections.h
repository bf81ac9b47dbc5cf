// An ELF image's section header table, as GRUB hands it to a Multiboot2
// kernel in the ELF-symbols information tag (type 9). GRUB gives the tag for
// every ELF kernel with sections; tboot, for one, removes it first thing
// (loader.c determine_loader_type) and counts on the room it frees in the
// boot information to grow the tags it rewrites later (the command line and
// the memory map, grow_mb2_tag): without it tboot 1.10 stops at its kernel
// hand-off with "grow_mb2_tag slack ... < growth ...".
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/le_reader.h"

namespace dlsim {

struct ElfSectionHeaders {
  uint32_t num = 0;              // e_shnum
  uint32_t entsize = 0;          // e_shentsize
  uint32_t shndx = 0;            // e_shstrndx
  std::vector<uint8_t> headers;  // num * entsize bytes from e_shoff, as in the file
};

// The section header table of an ELF file that parseElf accepted; none when
// e_shnum is 0 (no sections, or the extended numbering of section 0, which
// dlsim does not follow). Throws InputError naming the file and the fields
// when the table lies outside the file or its entries are shorter than a
// section header (ELF32 40, ELF64 64 bytes).
std::optional<ElfSectionHeaders> readElfSectionHeaders(const LeReader& r);

}  // namespace dlsim
