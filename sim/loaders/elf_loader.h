// ELF executable loader: ELF32 (EM_386) and ELF64 (EM_X86_64) ET_EXEC images,
// PT_LOAD segments at their physical addresses (p_paddr), as GRUB and QEMU
// load kernels. The multiboot loaders reuse parseElf/planElfSegments.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/guest_memory.h"
#include "sim/loaders/byte_io.h"
#include "sim/loaders/loaded_image.h"
#include "sim/loaders/placement.h"

namespace dlsim {

struct ElfSegment {
  unsigned index = 0;  // program header number
  uint64_t offset = 0, paddr = 0, filesz = 0, memsz = 0;
};

struct ElfImage {
  bool is64 = false;
  uint64_t entry = 0;
  std::vector<ElfSegment> loads;  // PT_LOAD segments with p_memsz > 0, in header order
};

// True when the data starts with the ELF magic.
bool hasElfMagic(const LeReader& r);

// Validates the ELF and program headers. Throws InputError naming the file,
// the field and its value.
ElfImage parseElf(const LeReader& r);

// Claims each segment's [p_paddr, p_paddr + p_memsz) and plans the copy of
// p_filesz bytes and the zeroing of the rest. Returns [lowest, highest end).
GpaRange planElfSegments(const LeReader& r, const ElfImage& elf, Placement& place, WritePlan& plan);

// Loads an ELF executable into guest RAM. Entry: ELF32 -> protected mode,
// ELF64 -> long mode, at e_entry.
LoadedImage loadElf(GuestMemory& mem, const std::string& path, const std::vector<GpaRange>& avoid = {});

}  // namespace dlsim
