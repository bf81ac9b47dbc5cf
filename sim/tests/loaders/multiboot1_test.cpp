// Multiboot 1: header search, ELF and address-field loading, modules, and the
// multiboot_info structure decoded here per the Multiboot Specification 0.6.96.
#include "sim/loaders/multiboot1_loader.h"

#include <gtest/gtest.h>

#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

constexpr uint32_t kMagic = 0x1BADB002;

Bytes mb1Header(uint32_t flags, std::vector<uint32_t> addressFields = {}) {
  Bytes h;
  put32(h, 0, kMagic);
  put32(h, 4, flags);
  put32(h, 8, uint32_t(0u - kMagic - flags));
  for (size_t i = 0; i < addressFields.size(); ++i) put32(h, 12 + 4 * i, addressFields[i]);
  return h;
}

// An ELF32 kernel whose first segment starts with the header: 0x100000..0x101800.
Bytes mb1Elf(uint32_t flags, uint64_t paddr = 0x100000) {
  Bytes text = mb1Header(flags);
  Bytes rest = pattern(0x40, 2);
  text.insert(text.end(), rest.begin(), rest.end());
  return buildElf(false, 3, 2, paddr + 0x20, {{paddr, text, 0x1800}});
}

struct Machine {
  GuestMemory mem;
  E820Map e820 = {{0, 0x9f000, E820Type::Ram},
                  {0x9f000, 0x1000, E820Type::Reserved},
                  {0xf0000, 0x10000, E820Type::Reserved},
                  {0x100000, 0x7f00000, E820Type::Ram}};
  Machine() {
    mem.addRam(0, 0xa0000, "low");
    mem.addRam(0x100000, 0x7f00000, "main");
  }
};

struct Mmap {
  uint32_t size;
  uint64_t addr, len;
  uint32_t type;
};

// Walks the mmap buffer using each entry's size field, as a kernel does.
std::vector<Mmap> readMmap(const GuestMemory& mem, uint32_t addr, uint32_t length) {
  std::vector<Mmap> out;
  for (uint64_t p = addr; p < uint64_t(addr) + length;) {
    Mmap e{rd32(mem, p), rd64(mem, p + 4), rd64(mem, p + 12), rd32(mem, p + 20)};
    out.push_back(e);
    p += e.size + 4;
  }
  return out;
}

TEST(Multiboot1, ElfKernelWithModulesGetsGrubStyleInfo) {
  Machine m;
  Bytes modA = pattern(0x1234, 11), modB = pattern(5, 77);
  MultibootRequest req;
  req.path = writeTemp("kernel", mb1Elf(0x3));
  req.cmdline = "kernel console=com1";
  req.modules = {{writeTemp("modA", modA), "mod-a arg"}, {writeTemp("modB", modB), "mod-b"}};
  req.e820 = m.e820;
  LoadedImage li = loadMultiboot1(m.mem, req);

  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->mode, EntryMode::Protected);
  EXPECT_EQ(li.boot->entry, 0x100020u);
  ASSERT_EQ(li.boot->registers.size(), 2u);
  EXPECT_EQ(li.boot->registers[0], (std::pair<std::string, uint64_t>{"eax", 0x2BADB002}));
  EXPECT_EQ(li.boot->registers[1].first, "ebx");
  const uint64_t info = li.boot->registers[1].second;
  // Kernel ends at 0x101800; modules go page aligned above it, then the info.
  EXPECT_EQ(info, 0x105000u);
  EXPECT_EQ(li.placed, (std::vector<GpaRange>{{0x100000, 0x1800}, {0x102000, 0x2000}, {0x104000, 0x1000}, {0x105000, li.placed.back().second}}));

  const uint32_t flags = rd32(m.mem, info);
  EXPECT_EQ(flags, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9));
  EXPECT_EQ(rd32(m.mem, info + 4), 0x9f000u / 1024);   // mem_lower
  EXPECT_EQ(rd32(m.mem, info + 8), 0x7f00000u / 1024);  // mem_upper
  EXPECT_EQ(rdStr(m.mem, rd32(m.mem, info + 16)), "kernel console=com1");
  EXPECT_EQ(rdStr(m.mem, rd32(m.mem, info + 64)), "dlsim");

  ASSERT_EQ(rd32(m.mem, info + 20), 2u);
  const uint32_t mods = rd32(m.mem, info + 24);
  EXPECT_EQ(rd32(m.mem, mods + 0), 0x102000u);
  EXPECT_EQ(rd32(m.mem, mods + 4), 0x102000u + 0x1234);
  EXPECT_EQ(rdStr(m.mem, rd32(m.mem, mods + 8)), "mod-a arg");
  EXPECT_EQ(rd32(m.mem, mods + 12), 0u);
  EXPECT_EQ(rd32(m.mem, mods + 16), 0x104000u);
  EXPECT_EQ(rd32(m.mem, mods + 20), 0x104005u);
  EXPECT_EQ(rdStr(m.mem, rd32(m.mem, mods + 24)), "mod-b");
  EXPECT_EQ(readMem(m.mem, 0x102000, modA.size()), modA);
  EXPECT_EQ(readMem(m.mem, 0x104000, modB.size()), modB);

  const uint32_t mmapLen = rd32(m.mem, info + 44), mmapAddr = rd32(m.mem, info + 48);
  EXPECT_EQ(mmapLen, 4u * 24);
  auto mmap = readMmap(m.mem, mmapAddr, mmapLen);
  ASSERT_EQ(mmap.size(), m.e820.size());
  for (size_t i = 0; i < mmap.size(); ++i) {
    EXPECT_EQ(mmap[i].size, 20u);
    EXPECT_EQ(mmap[i].addr, m.e820[i].addr);
    EXPECT_EQ(mmap[i].len, m.e820[i].size);
    EXPECT_EQ(mmap[i].type, uint32_t(m.e820[i].type));
  }
  // Every pointer stays inside the info block the loader claimed.
  const auto [blockAt, blockLen] = li.placed.back();
  for (uint32_t p : {rd32(m.mem, info + 16), rd32(m.mem, info + 64), mods, mmapAddr})
    EXPECT_TRUE(p >= blockAt && p < blockAt + blockLen) << std::hex << p;
}

TEST(Multiboot1, AddressFieldsLoadTextDataAndZeroBss) {
  Machine m;
  m.mem.fill(0x200000, 0xcc, 0x2000);
  Bytes file = pattern(0x180, 40);
  Bytes hdr = mb1Header(0x10002, {0x200040, 0x200000, 0x200100, 0x201000, 0x200080});
  std::copy(hdr.begin(), hdr.end(), file.begin() + 0x40);
  MultibootRequest req;
  req.path = writeTemp("aout", file);
  req.e820 = m.e820;
  LoadedImage li = loadMultiboot1(m.mem, req);

  EXPECT_EQ(readMem(m.mem, 0x200000, 0x100), Bytes(file.begin(), file.begin() + 0x100));
  EXPECT_EQ(readMem(m.mem, 0x200100, 0xf00), Bytes(0xf00, 0));
  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->entry, 0x200080u);
  const uint64_t info = li.boot->registers[1].second;
  EXPECT_EQ(info, 0x201000u);  // first page above bss_end_addr
  EXPECT_EQ(rd32(m.mem, info), (1u << 0) | (1u << 2) | (1u << 6) | (1u << 9));  // no modules: no MODS flag
  EXPECT_EQ(rd32(m.mem, info + 20), 0u);
  EXPECT_EQ(rdStr(m.mem, rd32(m.mem, info + 16)), "");
}

TEST(Multiboot1, AddressFieldsWithZeroLoadEndLoadTheRestOfTheFile) {
  Machine m;
  Bytes file = pattern(0x300, 41);
  Bytes hdr = mb1Header(0x10000, {0x300010, 0x300000, 0, 0, 0x300010});
  std::copy(hdr.begin(), hdr.end(), file.begin() + 0x10);
  MultibootRequest req;
  req.path = writeTemp("aout0", file);
  LoadedImage li = loadMultiboot1(m.mem, req);
  EXPECT_EQ(readMem(m.mem, 0x300000, 0x300), file);
  EXPECT_EQ(li.placed.front(), (GpaRange{0x300000, 0x300}));
}

TEST(Multiboot1, FixedInfoAddressAndDefaultMapFromGuestRam) {
  Machine m;
  MultibootRequest req;
  req.path = writeTemp("kernel", mb1Elf(0x0));
  req.cmdline = "x";
  req.modules = {{writeTemp("mod", pattern(16, 1)), ""}};
  req.infoAddress = 0x10000;
  LoadedImage li = loadMultiboot1(m.mem, req);
  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->registers[1].second, 0x10000u);
  EXPECT_EQ(rd32(m.mem, 0x10000 + 4), 640u);  // all of 0..0xa0000 is RAM without an e820 map
  EXPECT_EQ(rd32(m.mem, 0x10000 + 8), 0x7f00000u / 1024);
  EXPECT_EQ(rd32(m.mem, rd32(m.mem, 0x10000 + 24)), 0x102000u);
  auto mmap = readMmap(m.mem, rd32(m.mem, 0x10000 + 48), rd32(m.mem, 0x10000 + 44));
  ASSERT_EQ(mmap.size(), 2u);
  EXPECT_EQ(mmap[0].addr, 0u);
  EXPECT_EQ(mmap[0].len, 0xa0000u);
  EXPECT_EQ(mmap[1].addr, 0x100000u);
  EXPECT_EQ(mmap[1].type, 1u);
}

TEST(Multiboot1, MemUpperStopsAtTheFirstHole) {
  Machine m;
  MultibootRequest req;
  req.path = writeTemp("kernel", mb1Elf(0x2));
  req.e820 = {{0, 0x9f000, E820Type::Ram},
              {0x100000, 0x100000, E820Type::Ram},
              {0x200000, 0x300000, E820Type::Ram},  // contiguous: counts
              {0x400000, 0x1000, E820Type::Acpi},   // carves a hole out of the RAM above
              {0x600000, 0x100000, E820Type::Ram}};
  LoadedImage li = loadMultiboot1(m.mem, req);
  const uint64_t info = li.boot->registers[1].second;
  EXPECT_EQ(rd32(m.mem, info + 8), (0x400000u - 0x100000u) / 1024);
}

MultibootRequest simpleReq(const std::string& path) {
  MultibootRequest r;
  r.path = path;
  return r;
}

TEST(Multiboot1, Rejections) {
  Bytes badSum = mb1Elf(0x3);
  put32(badSum, 96 + 8, 0x12345678);
  Bytes noHeader = buildElf(false, 3, 2, 0x100000, {{0x100000, pattern(0x40, 0)}});
  Bytes farHeader = pattern(0x2100, 0);
  Bytes h0 = mb1Header(0x10000, {0x102000, 0x100000, 0, 0, 0x100000});
  std::copy(h0.begin(), h0.end(), farHeader.begin() + 0x2000);
  auto aout = [](std::vector<uint32_t> fields) {
    Bytes f = pattern(0x180, 1);
    Bytes h = mb1Header(0x10000, fields);
    std::copy(h.begin(), h.end(), f.begin() + 0x40);
    return f;
  };
  struct Case {
    const char* name;
    Bytes image;
    std::vector<std::string> needles;
    std::optional<uint64_t> info;
    std::vector<MultibootModule> modules;
  };
  std::vector<Case> cases = {
      {"checksum", badSum, {"no multiboot header", "checksum 0x12345678"}, {}, {}},
      {"no_header", noHeader, {"no multiboot header"}, {}, {}},
      {"beyond_8k", farHeader, {"no multiboot header", "8192"}, {}, {}},
      {"video", mb1Elf(0x4), {"flags 0x4", "bit 2"}, {}, {}},
      {"unknown_bit", mb1Elf(0x8), {"flags 0x8", "required bits 0x8"}, {}, {}},
      {"load_above_header", aout({0x200040, 0x200100, 0, 0, 0}), {"load_addr 0x200100", "header_addr 0x200040"}, {}, {}},
      {"header_before_file", aout({0x200080, 0x200000, 0, 0, 0}), {"header_addr 0x200080", "file offset 0x40"}, {}, {}},
      {"load_end", aout({0x200040, 0x200000, 0x201000, 0, 0}), {"load_end_addr 0x201000"}, {}, {}},
      {"bss_end", aout({0x200040, 0x200000, 0x200100, 0x2000ff, 0}), {"bss_end_addr 0x2000ff"}, {}, {}},
      {"reserved", mb1Elf(0x3, 0x9e000), {"p_paddr 0x9e000", "not usable RAM in the e820 map"}, {}, {}},
      {"info_overlap", mb1Elf(0x3), {"info_address 0x100000", "overlaps", "p_paddr 0x100000"}, 0x100000, {}},
      {"info_reserved", mb1Elf(0x3), {"info_address 0x9f000", "not usable"}, 0x9f000, {}},
      {"missing_module", mb1Elf(0x3), {"dlsim_ld_no_such_module"}, {}, {{::testing::TempDir() + "dlsim_ld_no_such_module", ""}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Machine m;
    MultibootRequest req = simpleReq(writeTemp(c.name, c.image));
    req.e820 = m.e820;
    req.infoAddress = c.info;
    req.modules = c.modules;
    std::vector<std::string> needles = c.needles;
    needles.push_back(c.name == std::string("missing_module") ? c.modules[0].path : req.path);
    expectInputError([&] { loadMultiboot1(m.mem, req); }, needles);
  }
}

TEST(Multiboot1, ModulesThatDoNotFitBelow4GiBAreRejected) {
  GuestMemory mem;
  mem.addRam(0x100000, 0x3000, "tiny");
  MultibootRequest req = simpleReq(writeTemp("kernel", buildElf(false, 3, 2, 0x100000, {{0x100000, mb1Header(0)}})));
  req.modules = {{writeTemp("big", pattern(0x3000, 0)), "m"}};
  expectInputError([&] { loadMultiboot1(mem, req); }, {"no usable RAM for module 0", req.modules[0].path});
}

TEST(Multiboot1, Elf64KernelEntryAbove4GiBIsRejected) {
  Machine m;
  Bytes img = buildElf(true, 62, 2, 0x100000000ull, {{0x100000, mb1Header(0)}});
  MultibootRequest req = simpleReq(writeTemp("k64", img));
  expectInputError([&] { loadMultiboot1(m.mem, req); }, {"entry address 0x100000000", "above 4 GiB"});
}

}  // namespace
}  // namespace dlsim
