// ELF header and program header parsing and segment placement (see elf_loader.h).
// Field offsets: System V gABI, ELF32/ELF64 Ehdr and Phdr.
#include "sim/loaders/elf_loader.h"

#include <algorithm>
#include <limits>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/image_bytes.h"

namespace dlsim {

namespace {

constexpr uint16_t kEtExec = 2, kEtDyn = 3;
constexpr uint16_t kEm386 = 3, kEmX86_64 = 62;
constexpr uint32_t kPtLoad = 1;

std::string typeName(uint16_t t) {
  switch (t) {
    case 0: return " (ET_NONE)";
    case 1: return " (ET_REL)";
    case 2: return " (ET_EXEC)";
    case 3: return " (ET_DYN)";
    case 4: return " (ET_CORE)";
  }
  return "";
}

}  // namespace

bool hasElfMagic(const LeReader& r) {
  return r.has(0, 4) && r.u32(0, "e_ident") == 0x464c457fu;  // "\x7fELF"
}

ElfImage parseElf(const LeReader& r) {
  if (!hasElfMagic(r)) r.fail("not an ELF file (e_ident does not start with 7f 45 4c 46)");
  ElfImage elf;
  uint8_t cls = r.u8(4, "e_ident[EI_CLASS]");
  if (cls != 1 && cls != 2) r.fail("e_ident[EI_CLASS] " + hex(cls) + " is neither ELFCLASS32 (1) nor ELFCLASS64 (2)");
  elf.is64 = cls == 2;
  uint8_t data = r.u8(5, "e_ident[EI_DATA]");
  if (data != 1) r.fail("e_ident[EI_DATA] " + hex(data) + " is not ELFDATA2LSB (1)");
  uint8_t version = r.u8(6, "e_ident[EI_VERSION]");
  if (version != 1) r.fail("e_ident[EI_VERSION] " + hex(version) + " is not EV_CURRENT (1)");
  r.bytes(0, elf.is64 ? 64 : 52, "ELF header");

  uint16_t type = r.u16(16, "e_type");
  if (type == kEtDyn)
    r.fail("e_type 0x3 (ET_DYN) not supported: only ET_EXEC images at fixed physical addresses can be loaded");
  if (type != kEtExec) r.fail("e_type " + hex(type) + typeName(type) + " is not ET_EXEC (0x2)");
  uint16_t machine = r.u16(18, "e_machine");
  uint16_t want = elf.is64 ? kEmX86_64 : kEm386;
  if (machine != want)
    r.fail("e_machine " + hex(machine) + " is not supported for " + (elf.is64 ? "ELFCLASS64" : "ELFCLASS32") +
           " (expected " + (elf.is64 ? "EM_X86_64 0x3e" : "EM_386 0x3") + ")");

  uint64_t phoff;
  uint16_t phentsize, phnum;
  if (elf.is64) {
    elf.entry = r.u64(24, "e_entry");
    phoff = r.u64(32, "e_phoff");
    phentsize = r.u16(54, "e_phentsize");
    phnum = r.u16(56, "e_phnum");
  } else {
    elf.entry = r.u32(24, "e_entry");
    phoff = r.u32(28, "e_phoff");
    phentsize = r.u16(42, "e_phentsize");
    phnum = r.u16(44, "e_phnum");
  }
  const uint16_t minEnt = elf.is64 ? 56 : 32;
  if (phnum == 0) r.fail("e_phnum 0x0: no program headers");
  if (phnum == 0xffff) r.fail("e_phnum 0xffff (PN_XNUM, count in section 0) not supported");
  if (phentsize < minEnt) r.fail("e_phentsize " + hex(phentsize) + " is smaller than a program header (" + hex(minEnt) + ")");
  if (phoff > r.size() || uint64_t(phentsize) * phnum > r.size() - phoff)
    r.fail("e_phoff " + hex(phoff) + " + e_phnum " + hex(phnum) + " * e_phentsize " + hex(phentsize) +
           " extends beyond the end of the file (size " + hex(r.size()) + ")");

  for (unsigned i = 0; i < phnum; ++i) {
    uint64_t ph = phoff + uint64_t(i) * phentsize;
    std::string name = "program header " + std::to_string(i);
    if (r.u32(ph, name + ": p_type") != kPtLoad) continue;
    ElfSegment s;
    s.index = i;
    if (elf.is64) {
      s.offset = r.u64(ph + 8, name + ": p_offset");
      s.paddr = r.u64(ph + 24, name + ": p_paddr");
      s.filesz = r.u64(ph + 32, name + ": p_filesz");
      s.memsz = r.u64(ph + 40, name + ": p_memsz");
    } else {
      s.offset = r.u32(ph + 4, name + ": p_offset");
      s.paddr = r.u32(ph + 12, name + ": p_paddr");
      s.filesz = r.u32(ph + 16, name + ": p_filesz");
      s.memsz = r.u32(ph + 20, name + ": p_memsz");
    }
    if (s.filesz > s.memsz)
      r.fail(name + ": p_filesz " + hex(s.filesz) + " exceeds p_memsz " + hex(s.memsz));
    if (s.offset > r.size() || s.filesz > r.size() - s.offset)
      r.fail(name + ": p_offset " + hex(s.offset) + " + p_filesz " + hex(s.filesz) +
             " extends beyond the end of the file (size " + hex(r.size()) + ")");
    if (s.memsz > std::numeric_limits<uint64_t>::max() - s.paddr)
      r.fail(name + ": p_paddr " + hex(s.paddr) + " + p_memsz " + hex(s.memsz) + " wraps around the address space");
    if (s.memsz) elf.loads.push_back(s);
  }
  if (elf.loads.empty()) r.fail("no PT_LOAD program header with p_memsz > 0");
  return elf;
}

GpaRange planElfSegments(const LeReader& r, const ElfImage& elf, Placement& place, WritePlan& plan) {
  uint64_t lo = std::numeric_limits<uint64_t>::max(), hi = 0;
  for (const auto& s : elf.loads) {
    place.claimFixed(s.paddr, s.memsz,
                     "program header " + std::to_string(s.index) + ": p_paddr " + hex(s.paddr) + " + p_memsz " +
                         hex(s.memsz));
    plan.copy(s.paddr, r.bytes(s.offset, s.filesz, "program header " + std::to_string(s.index) + " data"));
    if (s.memsz > s.filesz) plan.zero(s.paddr + s.filesz, s.memsz - s.filesz);
    lo = std::min(lo, s.paddr);
    hi = std::max(hi, s.paddr + s.memsz);
  }
  return {lo, hi};
}

LoadedImage loadElf(GuestMemory& mem, const std::string& path, const std::vector<GpaRange>& avoid) {
  const ImageBytes image = readImageBytes(path, decompressLimit(mem));
  LeReader r(image.bytes, path);
  ElfImage elf = parseElf(r);
  Placement place(mem, {}, avoid, path);
  WritePlan plan;
  GpaRange span = planElfSegments(r, elf, place, plan);
  plan.commit(mem);

  LoadedImage out;
  out.placed = place.claimed();
  BootState boot;
  boot.mode = elf.is64 ? EntryMode::Long : EntryMode::Protected;
  boot.entry = elf.entry;
  out.boot = boot;
  if (image.decompressed) out.decompressed.push_back({path, image.fileBytes, image.bytes.size()});
  out.summary = "elf " + path + image.note() + ": " + (elf.is64 ? "ELF64 x86-64" : "ELF32 i386") + ", " +
                std::to_string(elf.loads.size()) + " PT_LOAD segment(s) in [" + hex(span.first) + ", " +
                hex(span.second) + "), entry " + hex(elf.entry) + " (" + entryModeName(boot.mode) + ")";
  return out;
}

}  // namespace dlsim
