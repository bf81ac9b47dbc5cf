// Multiboot2: header tags, ELF and address-tag loading, and the boot
// information tags decoded here per the Multiboot2 Specification.
#include "sim/loaders/multiboot2_loader.h"

#include <gtest/gtest.h>

#include "sim/tests/loaders/gzip_test_util.h"
#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

constexpr uint32_t kMagic = 0xE85250D6;

struct Tag {
  uint16_t type, flags;
  std::vector<uint32_t> words;
};

Bytes mb2Header(const std::vector<Tag>& tags, uint32_t arch = 0, bool endTag = true) {
  Bytes h(16, 0);
  for (const auto& t : tags) {
    size_t at = h.size();
    put16(h, at, t.type);
    put16(h, at + 2, t.flags);
    put32(h, at + 4, uint32_t(8 + 4 * t.words.size()));
    for (size_t i = 0; i < t.words.size(); ++i) put32(h, at + 8 + 4 * i, t.words[i]);
    h.resize((h.size() + 7) / 8 * 8, 0);
  }
  if (endTag) {
    size_t at = h.size();
    put16(h, at, 0);
    put16(h, at + 2, 0);
    put32(h, at + 4, 8);
  }
  const uint32_t len = uint32_t(h.size());
  put32(h, 0, kMagic);
  put32(h, 4, arch);
  put32(h, 8, len);
  put32(h, 12, uint32_t(0u - kMagic - arch - len));
  return h;
}

Bytes mb2Elf(const std::vector<Tag>& tags, uint32_t arch = 0, bool endTag = true) {
  Bytes text = mb2Header(tags, arch, endTag);
  Bytes rest = pattern(0x40, 3);
  text.insert(text.end(), rest.begin(), rest.end());
  return buildElf(false, 3, 2, 0x100040, {{0x100000, text, 0x1800}});
}

// mb2Elf with a section header table of `num` 40-byte ELF32 headers (each
// filled with a pattern) appended at the end of the file; e_shstrndx = num - 1.
Bytes withSections(Bytes elf, uint16_t num, uint16_t entsize = 40) {
  const uint32_t shoff = uint32_t((elf.size() + 3) / 4 * 4);
  elf.resize(shoff, 0);
  Bytes table = pattern(size_t(num) * entsize, 0x21);
  elf.insert(elf.end(), table.begin(), table.end());
  put32(elf, 32, shoff);
  put16(elf, 46, entsize);
  put16(elf, 48, num);
  put16(elf, 50, uint16_t(num - 1));
  return elf;
}

struct Machine {
  GuestMemory mem;
  E820Map e820 = {{0, 0x9f000, E820Type::Ram},
                  {0x9f000, 0x1000, E820Type::Reserved},
                  {0x100000, 0x7f00000, E820Type::Ram},
                  {0xfec00000, 0x1000, E820Type::Reserved}};
  Machine() {
    mem.addRam(0, 0xa0000, "low");
    mem.addRam(0x100000, 0x7f00000, "main");
  }
};

struct InfoTag {
  uint32_t type, size;
  uint64_t at;
};

std::vector<InfoTag> walkInfo(const GuestMemory& mem, uint64_t info) {
  std::vector<InfoTag> tags;
  const uint32_t total = rd32(mem, info);
  EXPECT_EQ(rd32(mem, info + 4), 0u);  // reserved
  uint64_t p = info + 8;
  while (p < info + total) {
    EXPECT_EQ(p % 8, 0u);
    InfoTag t{rd32(mem, p), rd32(mem, p + 4), p};
    tags.push_back(t);
    if (t.type == 0) {
      EXPECT_EQ(t.size, 8u);
      EXPECT_EQ(p + 8, info + total);  // total_size ends right after the end tag
      break;
    }
    p = (p + t.size + 7) / 8 * 8;
  }
  return tags;
}

TEST(Multiboot2, ElfKernelWithModulesGetsInfoTags) {
  Machine m;
  Bytes modA = pattern(0x1234, 5), modB = pattern(3, 9);
  MultibootRequest req;
  req.path = writeTemp("kernel", mb2Elf({{1, 0, {1, 6, 4, 3}}, {6, 0, {}}, {4, 0, {0}}}));
  req.cmdline = "k root=/dev/ram0";
  req.modules = {{writeTemp("a", modA), "initrd a"}, {writeTemp("b", modB), ""}};
  req.e820 = m.e820;
  LoadedImage li = loadMultiboot2(m.mem, req);

  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->mode, EntryMode::Protected);
  EXPECT_EQ(li.boot->entry, 0x100040u);
  EXPECT_EQ(li.boot->registers[0], (std::pair<std::string, uint64_t>{"eax", 0x36D76289}));
  const uint64_t info = li.boot->registers[1].second;
  EXPECT_EQ(info, 0x105000u);  // kernel to 0x101800, modules at 0x102000 and 0x104000
  EXPECT_EQ(readMem(m.mem, 0x102000, modA.size()), modA);
  EXPECT_EQ(readMem(m.mem, 0x104000, modB.size()), modB);

  auto tags = walkInfo(m.mem, info);
  std::vector<uint32_t> types;
  for (const auto& t : tags) types.push_back(t.type);
  ASSERT_EQ(types, (std::vector<uint32_t>{1, 2, 3, 3, 4, 6, 0}));
  EXPECT_EQ(tags[0].size, 8u + req.cmdline.size() + 1);
  EXPECT_EQ(rdStr(m.mem, tags[0].at + 8), req.cmdline);
  EXPECT_EQ(tags[1].size, 8u + 6);
  EXPECT_EQ(rdStr(m.mem, tags[1].at + 8), "dlsim");
  EXPECT_EQ(tags[2].size, 16u + 9);
  EXPECT_EQ(rd32(m.mem, tags[2].at + 8), 0x102000u);
  EXPECT_EQ(rd32(m.mem, tags[2].at + 12), 0x102000u + 0x1234);
  EXPECT_EQ(rdStr(m.mem, tags[2].at + 16), "initrd a");
  EXPECT_EQ(rd32(m.mem, tags[3].at + 8), 0x104000u);
  EXPECT_EQ(rd32(m.mem, tags[3].at + 12), 0x104003u);
  EXPECT_EQ(rdStr(m.mem, tags[3].at + 16), "");
  EXPECT_EQ(tags[4].size, 16u);
  EXPECT_EQ(rd32(m.mem, tags[4].at + 8), 0x9f000u / 1024);
  EXPECT_EQ(rd32(m.mem, tags[4].at + 12), 0x7f00000u / 1024);
  const uint64_t mm = tags[5].at;
  EXPECT_EQ(tags[5].size, 16u + 24 * m.e820.size());
  EXPECT_EQ(rd32(m.mem, mm + 8), 24u);  // entry_size
  EXPECT_EQ(rd32(m.mem, mm + 12), 0u);  // entry_version
  for (size_t i = 0; i < m.e820.size(); ++i) {
    uint64_t e = mm + 16 + 24 * i;
    EXPECT_EQ(rd64(m.mem, e), m.e820[i].addr);
    EXPECT_EQ(rd64(m.mem, e + 8), m.e820[i].size);
    EXPECT_EQ(rd32(m.mem, e + 16), uint32_t(m.e820[i].type));
    EXPECT_EQ(rd32(m.mem, e + 20), 0u);
  }
  EXPECT_EQ(li.placed.back(), (GpaRange{info, rd32(m.mem, info)}));
}

// As Debian's GRUB boots tboot.gz: `multiboot2 tboot.gz` and `module2` go
// through GRUB's decompression filter; `module2 --nounzip` keeps the bytes.
TEST(Multiboot2, GzipKernelAndModulesAreLoadedDecompressedUnlessNounzip) {
  Machine m;
  const Bytes kernel = mb2Elf({{1, 0, {3}}});
  const Bytes modA = pattern(0x1234, 5), modB = pattern(0x800, 9);
  const Bytes gzKernel = gzipBytes(kernel, "kernel"), gzA = gzipBytes(modA), gzB = gzipBytes(modB);
  MultibootRequest req;
  req.path = writeTemp("kernel.gz", gzKernel);
  req.modules = {{writeTemp("a.gz", gzA), "a", false}, {writeTemp("b.gz", gzB), "b", true}};
  req.e820 = m.e820;
  LoadedImage li = loadMultiboot2(m.mem, req);

  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->entry, 0x100040u);  // the ELF's entry, read from the inflated bytes
  EXPECT_EQ(readMem(m.mem, 0x100000, 0x40), Bytes(kernel.begin() + 0x60, kernel.begin() + 0xa0));
  auto tags = walkInfo(m.mem, li.boot->registers[1].second);
  ASSERT_GE(tags.size(), 4u);
  ASSERT_EQ(tags[2].type, 3u);
  ASSERT_EQ(tags[3].type, 3u);
  // Module a inflated, module b (nounzip) placed as its gzip bytes.
  const uint32_t aStart = rd32(m.mem, tags[2].at + 8), bStart = rd32(m.mem, tags[3].at + 8);
  EXPECT_EQ(rd32(m.mem, tags[2].at + 12) - aStart, modA.size());
  EXPECT_EQ(readMem(m.mem, aStart, modA.size()), modA);
  EXPECT_EQ(rd32(m.mem, tags[3].at + 12) - bStart, gzB.size());
  EXPECT_EQ(readMem(m.mem, bStart, gzB.size()), gzB);

  ASSERT_EQ(li.decompressed.size(), 2u);
  EXPECT_EQ(li.decompressed[0].file, req.path);
  EXPECT_EQ(li.decompressed[0].fileBytes, gzKernel.size());
  EXPECT_EQ(li.decompressed[0].bytes, kernel.size());
  EXPECT_EQ(li.decompressed[1].file, req.modules[0].path);
  EXPECT_EQ(li.decompressed[1].bytes, modA.size());
  EXPECT_NE(li.summary.find("(gzip, " + std::to_string(gzKernel.size()) + " -> " + std::to_string(kernel.size()) +
                            " bytes)"),
            std::string::npos)
      << li.summary;
}

TEST(Multiboot2, BadGzipKernelOrModuleNamesTheFileAndLeavesRamUntouched) {
  Machine m;
  const Bytes gz = gzipBytes(mb2Elf({}));
  MultibootRequest req;
  req.path = writeTemp("cut.gz", Bytes(gz.begin(), gz.end() - 4));
  req.e820 = m.e820;
  expectInputError([&] { loadMultiboot2(m.mem, req); }, {req.path + ": gzip: truncated", "zlib: "});
  req.path = writeTemp("kernel.gz", gz);
  // A module that inflates past the guest's RAM (0x7fa0000 bytes here).
  req.modules = {{writeTemp("bomb.gz", gzipBytes(Bytes(0x8000000, 0))), "", false}};
  expectInputError([&] { loadMultiboot2(m.mem, req); },
                   {req.modules[0].path + ": gzip: decompresses to more than " + std::to_string(0xa0000 + 0x7f00000)});
  EXPECT_EQ(readMem(m.mem, 0x100000, 16), Bytes(16, 0));
}

TEST(Multiboot2, AddressTagLoadingFromFileStartWithBss) {
  Machine m;
  m.mem.fill(0x300000, 0xcc, 0x2000);
  Bytes file = pattern(0x200, 50);
  Bytes hdr = mb2Header({{2, 0, {0x300020, 0xffffffff, 0, 0x301000}}, {3, 0, {0x300100}}});
  std::copy(hdr.begin(), hdr.end(), file.begin() + 0x20);
  MultibootRequest req;
  req.path = writeTemp("raw", file);
  req.e820 = m.e820;
  req.infoAddress = 0x20008;
  LoadedImage li = loadMultiboot2(m.mem, req);
  EXPECT_EQ(readMem(m.mem, 0x300000, 0x200), file);
  EXPECT_EQ(readMem(m.mem, 0x300200, 0xe00), Bytes(0xe00, 0));
  EXPECT_EQ(li.boot->entry, 0x300100u);
  EXPECT_EQ(li.boot->registers[1].second, 0x20008u);
  EXPECT_EQ(walkInfo(m.mem, 0x20008).size(), 5u);  // cmdline, name, meminfo, mmap, end
}

TEST(Multiboot2, EntryTagOverridesElfEntryAndOptionalOrEfiTagsAreIgnored) {
  Machine m;
  MultibootRequest req;
  req.path = writeTemp("kernel", mb2Elf({{3, 0, {0x100010}},
                                         {1, 1, {8, 14}},  // optional request: framebuffer, ACPI
                                         {5, 1, {1024, 768, 32}},
                                         {8, 0, {0x100000}},
                                         {9, 0, {0x100000}},
                                         {7, 0, {}}}));
  LoadedImage li = loadMultiboot2(m.mem, req);
  EXPECT_EQ(li.boot->entry, 0x100010u);
}

// GRUB gives an ELF kernel with sections the ELF-symbols tag (type 9) with
// its section header table: u32 num, u32 entsize, u32 shndx, the headers
// (GRUB's struct multiboot_tag_elf_sections). tboot removes it and needs the
// room it frees (sim/loaders/elf_sections.h).
TEST(Multiboot2, ElfKernelWithSectionsGetsTheElfSymbolsTag) {
  Machine m;
  Bytes elf = withSections(mb2Elf({}), 3);
  MultibootRequest req;
  req.path = writeTemp("kernel_sections", elf);
  req.e820 = m.e820;
  LoadedImage li = loadMultiboot2(m.mem, req);
  ASSERT_TRUE(li.boot);
  auto tags = walkInfo(m.mem, li.boot->registers[1].second);
  std::vector<uint32_t> types;
  for (const auto& t : tags) types.push_back(t.type);
  ASSERT_EQ(types, (std::vector<uint32_t>{1, 2, 4, 6, 9, 0}));
  const InfoTag& t = tags[4];
  EXPECT_EQ(t.size, 20u + 3 * 40);
  EXPECT_EQ(rd32(m.mem, t.at + 8), 3u);   // num
  EXPECT_EQ(rd32(m.mem, t.at + 12), 40u);  // entsize
  EXPECT_EQ(rd32(m.mem, t.at + 16), 2u);   // shndx
  const uint32_t shoff = uint32_t(elf.size() - 3 * 40);
  EXPECT_EQ(readMem(m.mem, t.at + 20, 3 * 40), Bytes(elf.begin() + shoff, elf.end()));
}

TEST(Multiboot2, SectionHeaderTableRejections) {
  Bytes outside = withSections(mb2Elf({}), 3);
  outside.resize(outside.size() - 1);  // the last header runs past the end of the file
  Bytes shortEntries = withSections(mb2Elf({}), 2, 32);
  struct Case {
    const char* name;
    Bytes image;
    std::vector<std::string> needles;
  };
  std::vector<Case> cases = {
      {"sh_outside", outside, {"e_shoff", "e_shnum 0x3", "beyond the end of the file"}},
      {"sh_short", shortEntries, {"e_shentsize 0x20", "smaller than a section header (0x28)"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Machine m;
    MultibootRequest req;
    req.path = writeTemp(c.name, c.image);
    std::vector<std::string> needles = c.needles;
    needles.push_back(req.path);
    expectInputError([&] { loadMultiboot2(m.mem, req); }, needles);
  }
}

TEST(Multiboot2, Rejections) {
  Bytes badSum = mb2Elf({});
  put32(badSum, 96 + 12, 0x1);
  Bytes misaligned = pattern(0x100, 0);
  Bytes h = mb2Header({});
  std::copy(h.begin(), h.end(), misaligned.begin() + 0x14);
  Bytes shortTag = mb2Elf({{6, 0, {}}});
  put32(shortTag, 96 + 16 + 4, 4);
  Bytes noAddrNoElf = pattern(0x100, 0);
  std::copy(h.begin(), h.end(), noAddrNoElf.begin() + 0x10);
  Bytes addrNoEntry = pattern(0x100, 0);
  Bytes h2 = mb2Header({{2, 0, {0x300010, 0x300000, 0, 0}}});
  std::copy(h2.begin(), h2.end(), addrNoEntry.begin() + 0x10);
  struct Case {
    const char* name;
    Bytes image;
    std::vector<std::string> needles;
  };
  std::vector<Case> cases = {
      {"checksum", badSum, {"no multiboot2 header", "checksum 0x1"}},
      {"misaligned", misaligned, {"no multiboot2 header"}},
      {"arch", mb2Elf({}, 4), {"architecture 0x4"}},
      {"required_info", mb2Elf({{1, 0, {1, 8}}}), {"tag type 8", "framebuffer info", "cannot provide"}},
      {"framebuffer", mb2Elf({{5, 0, {1024, 768, 32}}}), {"type 5", "not supported"}},
      {"relocatable", mb2Elf({{10, 0, {0x100000, 0x1000000, 0x1000, 0}}}), {"type 10", "not supported"}},
      {"unknown", mb2Elf({{42, 0, {}}}), {"tag type 42"}},
      {"no_end", mb2Elf({{6, 0, {}}}, 0, false), {"no end tag"}},
      {"short_tag", shortTag, {"size 0x4"}},
      {"addr_no_entry", addrNoEntry, {"entry address tag"}},
      {"not_elf", noAddrNoElf, {"no address tag", "not ELF"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Machine m;
    MultibootRequest req;
    req.path = writeTemp(c.name, c.image);
    std::vector<std::string> needles = c.needles;
    needles.push_back(req.path);
    expectInputError([&] { loadMultiboot2(m.mem, req); }, needles);
  }
}

}  // namespace
}  // namespace dlsim
