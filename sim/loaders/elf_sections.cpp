// The section header table of an ELF image (see elf_sections.h). Field
// offsets: System V gABI, ELF32/ELF64 Ehdr.
#include "sim/loaders/elf_sections.h"

#include "sim/hex.h"

namespace dlsim {

std::optional<ElfSectionHeaders> readElfSectionHeaders(const LeReader& r) {
  const bool is64 = r.u8(4, "e_ident[EI_CLASS]") == 2;
  uint64_t shoff;
  ElfSectionHeaders s;
  if (is64) {
    shoff = r.u64(40, "e_shoff");
    s.entsize = r.u16(58, "e_shentsize");
    s.num = r.u16(60, "e_shnum");
    s.shndx = r.u16(62, "e_shstrndx");
  } else {
    shoff = r.u32(32, "e_shoff");
    s.entsize = r.u16(46, "e_shentsize");
    s.num = r.u16(48, "e_shnum");
    s.shndx = r.u16(50, "e_shstrndx");
  }
  if (s.num == 0) return std::nullopt;
  const uint32_t minEnt = is64 ? 64 : 40;
  if (s.entsize < minEnt)
    r.fail("e_shentsize " + hex(s.entsize) + " is smaller than a section header (" + hex(minEnt) + ")");
  const uint64_t len = uint64_t(s.num) * s.entsize;
  if (shoff > r.size() || len > r.size() - shoff)
    r.fail("e_shoff " + hex(shoff) + " + e_shnum " + hex(s.num) + " * e_shentsize " + hex(s.entsize) +
           " extends beyond the end of the file (size " + hex(r.size()) + ")");
  auto table = r.bytes(shoff, len, "section header table");
  s.headers.assign(table.begin(), table.end());
  return s;
}

}  // namespace dlsim
