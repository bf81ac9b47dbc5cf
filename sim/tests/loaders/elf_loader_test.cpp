// ELF loader: segments at p_paddr, bss zeroed, entry mode per class, and
// every rejection naming the file and field.
#include "sim/loaders/elf_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

constexpr uint16_t kEm386 = 3, kEmX86_64 = 62, kExec = 2;

TEST(ElfLoader, Elf32CopiesFileBytesZeroesBssAndEntersProtectedMode) {
  GuestMemory mem;
  mem.addRam(0, 0x400000, "ram");
  mem.fill(0x100000, 0xcc, 0x10000);  // stale bytes the bss must clear
  Bytes text = pattern(0x30, 1), data = pattern(0x10, 9);
  Bytes img = buildElf(false, kEm386, kExec, 0x100010,
                       {{0x100000, text, 0x1000}, {0x103000, data, 0x10}, {0x200000, {}, 0, 4 /* PT_NOTE */}});
  std::string path = writeTemp("k.elf", img);
  LoadedImage li = loadElf(mem, path);

  EXPECT_EQ(readMem(mem, 0x100000, 0x30), text);
  EXPECT_EQ(readMem(mem, 0x100030, 0x1000 - 0x30), Bytes(0x1000 - 0x30, 0));
  EXPECT_EQ(readMem(mem, 0x103000, 0x10), data);
  EXPECT_EQ(readMem(mem, 0x101000, 1), Bytes{0xcc});  // between segments: untouched
  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->mode, EntryMode::Protected);
  EXPECT_EQ(li.boot->entry, 0x100010u);
  EXPECT_TRUE(li.boot->registers.empty());
  std::vector<GpaRange> want = {{0x100000, 0x1000}, {0x103000, 0x10}};
  EXPECT_EQ(li.placed, want);
  EXPECT_NE(li.summary.find(path), std::string::npos);
}

TEST(ElfLoader, Elf64LoadsAtPhysicalNotVirtualAddressAndEntersLongMode) {
  GuestMemory mem;
  mem.addRam(0, 0x400000, "ram");
  Bytes text = pattern(0x100, 3);
  Seg s{0x200000, text, 0x2000, 1, 0xffffffff80200000ull};
  LoadedImage li = loadElf(mem, writeTemp("k64.elf", buildElf(true, kEmX86_64, kExec, 0x200040, {s})));
  EXPECT_EQ(readMem(mem, 0x200000, 0x100), text);
  EXPECT_EQ(readMem(mem, 0x200100, 0x1f00), Bytes(0x1f00, 0));
  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->mode, EntryMode::Long);
  EXPECT_EQ(li.boot->entry, 0x200040u);
}

struct Rejection {
  const char* name;
  Bytes image;
  std::vector<std::string> needles;
};

Bytes withByte(Bytes b, size_t off, uint8_t v) {
  b[off] = v;
  return b;
}

TEST(ElfLoader, MalformedImagesAreInputErrorsNamingTheField) {
  const Bytes good = buildElf(false, kEm386, kExec, 0x1000, {{0x1000, pattern(0x20, 0), 0x40}});
  Bytes phOutside = buildElf(false, kEm386, kExec, 0, {{0x1000, pattern(4, 0)}, {0xfffff000, pattern(4, 0), 0x2000}});
  Bytes overlap = buildElf(false, kEm386, kExec, 0, {{0x1000, pattern(0x20, 0), 0x1000}, {0x1800, pattern(4, 0)}});
  Bytes fileszOverMemsz = good;
  put32(fileszOverMemsz, 52 + 20, 0x10);  // p_memsz below p_filesz 0x20
  Bytes offsetPastEnd = good;
  put32(offsetPastEnd, 52 + 4, 0x10000);
  Bytes noPhdrs = good;
  put16(noPhdrs, 44, 0);
  Bytes phdrsPastEnd = good;
  put32(phdrsPastEnd, 28, uint32_t(good.size() - 8));
  Bytes smallPhent = good;
  put16(smallPhent, 42, 16);
  Bytes x32 = good;
  put16(x32, 18, kEmX86_64);
  Bytes onlyNote = buildElf(false, kEm386, kExec, 0, {{0x1000, pattern(4, 0), 0, 4}});
  Bytes wrapping = buildElf(true, kEmX86_64, kExec, 0, {{0xfffffffffffff000ull, pattern(4, 0), 0x2000}});

  std::vector<Rejection> cases = {
      {"magic", withByte(good, 1, 'X'), {"not an ELF file"}},
      {"class", withByte(good, 4, 3), {"EI_CLASS", "0x3"}},
      {"endianness", withByte(good, 5, 2), {"EI_DATA", "0x2"}},
      {"version", withByte(good, 6, 0), {"EI_VERSION", "0x0"}},
      {"et_rel", withByte(good, 16, 1), {"e_type 0x1", "ET_REL", "not ET_EXEC"}},
      {"et_dyn", withByte(good, 16, 3), {"e_type 0x3", "ET_DYN", "not supported"}},
      {"x32", x32, {"e_machine 0x3e", "ELFCLASS32"}},
      {"truncated", Bytes(good.begin(), good.begin() + 30), {"ELF header", "beyond the end of the file"}},
      {"no_phdrs", noPhdrs, {"e_phnum 0x0"}},
      {"phdrs_past_end", phdrsPastEnd, {"e_phoff", "beyond the end of the file"}},
      {"small_phentsize", smallPhent, {"e_phentsize 0x10"}},
      {"filesz", fileszOverMemsz, {"program header 0", "p_filesz 0x20", "p_memsz 0x10"}},
      {"offset", offsetPastEnd, {"program header 0", "p_offset 0x10000"}},
      {"outside_ram", phOutside, {"program header 1", "p_paddr 0xfffff000", "p_memsz 0x2000", "outside guest RAM"}},
      {"overlap", overlap, {"program header 1", "p_paddr 0x1800", "overlaps", "program header 0"}},
      {"no_load", onlyNote, {"no PT_LOAD"}},
      {"wrap", wrapping, {"program header 0", "wraps"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    GuestMemory mem;
    mem.addRam(0, 0x100000, "ram");
    std::string path = writeTemp(c.name, c.image);
    std::vector<std::string> needles = c.needles;
    needles.push_back(path);
    expectInputError([&] { loadElf(mem, path); }, needles);
  }
}

TEST(ElfLoader, RejectedImageLeavesGuestMemoryUntouched) {
  GuestMemory mem;
  mem.addRam(0, 0x100000, "ram");
  mem.fill(0x1000, 0xcc, 0x100);
  // Segment 0 is fine, segment 1 lies outside RAM: nothing may be written.
  Bytes img = buildElf(false, kEm386, kExec, 0, {{0x1000, pattern(0x100, 5)}, {0x200000, pattern(4, 0)}});
  EXPECT_THROW(loadElf(mem, writeTemp("partial", img)), InputError);
  EXPECT_EQ(readMem(mem, 0x1000, 0x100), Bytes(0x100, 0xcc));
}

TEST(ElfLoader, OverlapWithAnEarlierLoadIsRejected) {
  GuestMemory mem;
  mem.addRam(0, 0x100000, "ram");
  Bytes img = buildElf(false, kEm386, kExec, 0, {{0x3000, pattern(0x100, 5)}});
  expectInputError([&] { loadElf(mem, writeTemp("k", img), {{0x3080, 0x10}}); },
                   {"p_paddr 0x3000", "overlaps", "earlier load"});
}

TEST(ElfLoader, MissingFileNamesThePath) {
  GuestMemory mem;
  mem.addRam(0, 0x100000, "ram");
  std::string path = ::testing::TempDir() + "dlsim_ld_does_not_exist.elf";
  expectInputError([&] { loadElf(mem, path); }, {path, "does not exist"});
}

TEST(ElfLoader, SystemPieExecutableIsRejectedAsEtDyn) {
  const std::string path = "/bin/true";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not present";
  std::ifstream in(path, std::ios::binary);
  Bytes head(20);
  in.read(reinterpret_cast<char*>(head.data()), 20);
  const uint16_t eType = uint16_t(head[16] | head[17] << 8);
  GuestMemory mem;
  mem.addRam(0, 0x1000000, "ram");
  if (eType == 3) {
    expectInputError([&] { loadElf(mem, path); }, {path, "e_type 0x3", "ET_DYN", "not supported"});
  } else {
    // A non-PIE /bin/true links at user addresses far above this RAM.
    expectInputError([&] { loadElf(mem, path); }, {path, "program header"});
  }
}

}  // namespace
}  // namespace dlsim
