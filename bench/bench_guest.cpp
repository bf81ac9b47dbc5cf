// Loading benchmark guest images (ELF header facts + flat image) and decoding
// the result block they leave in guest RAM.
#include "bench/bench_guest.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "sim/errors.h"

namespace dlsim {
namespace {

std::vector<uint8_t> readWholeFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open " + what + " (build target bench_guests?)");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

uint32_t le32(const std::vector<uint8_t>& b, size_t off) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | b[off + static_cast<size_t>(i)];
  return v;
}

uint16_t le16(const std::vector<uint8_t>& b, size_t off) {
  return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
}

std::string hexNum(uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), digits[v & 15]);
    v >>= 4;
  } while (v != 0);
  return "0x" + s;
}

// ELF32 facts the runners need.
struct ElfFacts {
  uint32_t entry = 0;
  uint32_t lowestLoad = 0;   // lowest p_paddr of a PT_LOAD with p_filesz > 0
  uint32_t fileEnd = 0;      // highest p_paddr + p_filesz of those
};

ElfFacts readElf32(const std::string& path, const std::vector<uint8_t>& elf) {
  auto bad = [&](const std::string& field, uint64_t value) {
    return InputError(path + ": ELF field " + field + " = " + hexNum(value) +
                      " is not what a 32-bit x86 benchmark guest has");
  };
  constexpr size_t kEhdrSize = 52, kPhdrSize = 32;
  if (elf.size() < kEhdrSize) throw bad("file size", elf.size());
  if (std::memcmp(elf.data(), "\x7f" "ELF", 4) != 0) throw bad("e_ident[0..3] (magic)", le32(elf, 0));
  if (elf[4] != 1) throw bad("e_ident[EI_CLASS]", elf[4]);
  if (elf[5] != 1) throw bad("e_ident[EI_DATA]", elf[5]);
  if (le16(elf, 18) != 3) throw bad("e_machine", le16(elf, 18));
  ElfFacts f;
  f.entry = le32(elf, 24);
  const uint32_t phoff = le32(elf, 28);
  const uint16_t phentsize = le16(elf, 42);
  const uint16_t phnum = le16(elf, 44);
  if (phentsize != kPhdrSize) throw bad("e_phentsize", phentsize);
  if (phnum == 0) throw bad("e_phnum", phnum);
  if (static_cast<uint64_t>(phoff) + uint64_t{phnum} * kPhdrSize > elf.size()) throw bad("e_phoff", phoff);
  bool any = false;
  f.lowestLoad = std::numeric_limits<uint32_t>::max();
  for (uint16_t i = 0; i < phnum; ++i) {
    const size_t ph = phoff + size_t{i} * kPhdrSize;
    if (le32(elf, ph) != 1 /* PT_LOAD */) continue;
    const uint32_t paddr = le32(elf, ph + 12), filesz = le32(elf, ph + 16);
    if (filesz == 0) continue;
    if (uint64_t{paddr} + filesz > 0xFFFFFFFFull) throw bad("p_paddr + p_filesz of phdr " + std::to_string(i), paddr);
    any = true;
    f.lowestLoad = std::min(f.lowestLoad, paddr);
    f.fileEnd = std::max(f.fileEnd, paddr + filesz);
  }
  if (!any) throw bad("PT_LOAD count with file contents", 0);
  if (f.entry < f.lowestLoad || f.entry >= f.fileEnd) throw bad("e_entry", f.entry);
  return f;
}

}  // namespace

BenchGuest loadBenchGuest(const std::string& name, const std::string& elfPath,
                          const std::string& flatPath, uint64_t ramBytes,
                          std::vector<uint8_t> expectedResult) {
  const std::vector<uint8_t> elf = readWholeFile(elfPath, "guest ELF");
  const ElfFacts facts = readElf32(elfPath, elf);
  BenchGuest g;
  g.name = name;
  g.elfPath = elfPath;
  g.flatImage = readWholeFile(flatPath, "flat guest image");
  g.loadAddr = facts.lowestLoad;
  g.entry = facts.entry;
  g.ramBytes = ramBytes;
  g.expectedResult = std::move(expectedResult);
  if (g.flatImage.size() != uint64_t{facts.fileEnd} - facts.lowestLoad)
    throw InputError(flatPath + ": size " + std::to_string(g.flatImage.size()) +
                     " does not match the loadable extent " + hexNum(facts.lowestLoad) + ".." +
                     hexNum(facts.fileEnd) + " of " + elfPath + " (stale build?)");
  if (g.loadAddr + g.flatImage.size() > ramBytes)
    throw InputError(elfPath + ": image ends at " + hexNum(g.loadAddr + g.flatImage.size()) +
                     ", beyond the guest RAM size " + hexNum(ramBytes));
  return g;
}

std::optional<std::vector<uint8_t>> parseResultBlock(std::span<const uint8_t> block) {
  if (block.size() < kResultBlockBytes)
    throw InternalError("result block buffer holds " + std::to_string(block.size()) + " bytes, need " +
                        std::to_string(kResultBlockBytes));
  auto word = [&](size_t off) {
    return static_cast<uint32_t>(block[off] | (block[off + 1] << 8) | (block[off + 2] << 16) |
                                 (static_cast<uint32_t>(block[off + 3]) << 24));
  };
  if (word(0) != BENCH_RESULT_MAGIC) return std::nullopt;
  const uint32_t len = word(4);
  if (len > BENCH_RESULT_MAX)
    throw InternalError("guest result block claims " + std::to_string(len) + " bytes (at most " +
                        std::to_string(BENCH_RESULT_MAX) + ")");
  const auto first = block.begin() + BENCH_RESULT_DATA_OFFSET;
  return std::vector<uint8_t>(first, first + len);
}

std::string benchHex(std::span<const uint8_t> bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

}  // namespace dlsim
