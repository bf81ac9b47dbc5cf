// bzImage: setup header checks, kernel_info, placement of kernel, zero page,
// command line and initrd, and the zero page decoded here per the x86 boot
// protocol (struct boot_params offsets).
#include "sim/loaders/bzimage_loader.h"

#include <gtest/gtest.h>

#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

struct BzOpts {
  uint8_t setupSects = 1;
  uint16_t version = 0x020f;
  uint8_t loadflags = 0x01;
  uint8_t relocatable = 1;
  uint32_t kernelAlignment = 0x200000;
  uint64_t prefAddress = 0x1000000;
  uint32_t initSize = 0x400000;
  uint16_t xloadflags = 0x1;
  uint32_t cmdlineSize = 0x7ff;
  uint32_t initrdAddrMax = 0x7fffffff;
  uint32_t headerEnd = 0x26c;
  uint32_t kernelInfoOffset = 0x100;
  uint32_t kiMagic = 0x506f544c;  // "LToP"
  uint32_t kiSizeTotal = 0x14;
  size_t pmSize = 0x1000;
};

Bytes buildBz(const BzOpts& o) {
  const size_t pmOff = (size_t(o.setupSects ? o.setupSects : 4) + 1) * 512;
  Bytes b = pattern(pmOff, 0x20);  // setup code and unset header fields: nonzero filler
  b.resize(pmOff);
  b[0x1f1] = o.setupSects;
  put16(b, 0x1fe, 0xaa55);
  b[0x200] = 0xeb;
  b[0x201] = uint8_t(o.headerEnd - 0x202);
  putStr(b, 0x202, "HdrS");
  put16(b, 0x206, o.version);
  b[0x210] = 0;
  b[0x211] = o.loadflags;
  put32(b, 0x214, 0x100000);
  put32(b, 0x218, 0);
  put32(b, 0x21c, 0);
  put32(b, 0x228, 0);
  put32(b, 0x22c, o.initrdAddrMax);
  put32(b, 0x230, o.kernelAlignment);
  b[0x234] = o.relocatable;
  put16(b, 0x236, o.xloadflags);
  put32(b, 0x238, o.cmdlineSize);
  put64(b, 0x258, o.prefAddress);
  put32(b, 0x260, o.initSize);
  put32(b, 0x268, o.kernelInfoOffset);
  Bytes pm = pattern(o.pmSize, 0x55);
  if (o.kernelInfoOffset + 0x14 <= pm.size()) {
    put32(pm, o.kernelInfoOffset, o.kiMagic);
    put32(pm, o.kernelInfoOffset + 4, 0x14);
    put32(pm, o.kernelInfoOffset + 8, o.kiSizeTotal);
    put32(pm, o.kernelInfoOffset + 12, 10);
    put32(pm, o.kernelInfoOffset + 16, 0x200);
  }
  b.insert(b.end(), pm.begin(), pm.end());
  return b;
}

struct Machine {
  GuestMemory mem;
  E820Map e820 = {{0, 0x9f000, E820Type::Ram},
                  {0x9f000, 0x1000, E820Type::Reserved},
                  {0xf0000, 0x10000, E820Type::Reserved},
                  {0x100000, 0x1ff00000, E820Type::Ram}};
  Machine() {
    mem.addRam(0, 0xa0000, "low");
    mem.addRam(0x100000, 0x1ff00000, "main");
  }
};

TEST(BzImage, LoadsKernelZeroPageCmdlineAndInitrd) {
  Machine m;
  BzOpts o;
  Bytes img = buildBz(o);
  Bytes initrd = pattern(0x2800, 99);
  BzImageRequest req;
  req.path = writeTemp("bzImage", img);
  req.cmdline = "console=ttyS0 quiet";
  req.initrd = writeTemp("initrd", initrd);
  req.e820 = m.e820;
  LoadedImage li = loadBzImage(m.mem, req);

  // Kernel at pref_address; zero page + cmdline as high as fits below the
  // 0x9f000 end of low RAM; initrd page aligned at the top of RAM.
  const uint64_t bp = (0x9f000 - (0x1000 + req.cmdline.size() + 1)) & ~uint64_t(0xfff);
  const uint64_t initrdAt = 0x20000000 - 0x3000;
  EXPECT_EQ(readMem(m.mem, 0x1000000, 0x1000), Bytes(img.begin() + 0x400, img.end()));
  EXPECT_EQ(readMem(m.mem, initrdAt, initrd.size()), initrd);
  ASSERT_TRUE(li.boot);
  EXPECT_EQ(li.boot->mode, EntryMode::Protected);
  EXPECT_EQ(li.boot->entry, 0x1000000u);
  using Reg = std::pair<std::string, uint64_t>;
  EXPECT_EQ(li.boot->registers, (std::vector<Reg>{{"esi", bp}, {"ebp", 0}, {"edi", 0}, {"ebx", 0}}));
  EXPECT_EQ(li.placed, (std::vector<GpaRange>{{0x1000000, 0x400000}, {bp, 0x1000 + req.cmdline.size() + 1}, {initrdAt, 0x3000}}));

  Bytes zp = readMem(m.mem, bp, 0x1000);
  // The setup header is copied from the file except the fields a loader sets.
  for (size_t off = 0x1f1; off < 0x26c; ++off) {
    bool loaderField = off == 0x210 || (off >= 0x214 && off < 0x220) || (off >= 0x228 && off < 0x22c);
    if (!loaderField) {
      EXPECT_EQ(zp[off], img[off]) << "setup header byte " << std::hex << off;
    }
  }
  EXPECT_EQ(zp[0x210], 0xff);  // type_of_loader
  EXPECT_EQ(rd32(m.mem, bp + 0x214), 0x1000000u);  // code32_start
  EXPECT_EQ(rd32(m.mem, bp + 0x218), initrdAt);
  EXPECT_EQ(rd32(m.mem, bp + 0x21c), 0x2800u);
  EXPECT_EQ(rd32(m.mem, bp + 0x228), bp + 0x1000);
  EXPECT_EQ(rdStr(m.mem, bp + 0x1000), req.cmdline);
  EXPECT_EQ(rd32(m.mem, bp + 0xc0), 0u);
  EXPECT_EQ(rd32(m.mem, bp + 0xc4), 0u);
  EXPECT_EQ(rd32(m.mem, bp + 0xc8), 0u);
  EXPECT_EQ(zp[0x1e8], 4);
  for (size_t i = 0; i < m.e820.size(); ++i) {
    uint64_t e = bp + 0x2d0 + 20 * i;
    EXPECT_EQ(rd64(m.mem, e), m.e820[i].addr);
    EXPECT_EQ(rd64(m.mem, e + 8), m.e820[i].size);
    EXPECT_EQ(rd32(m.mem, e + 16), uint32_t(m.e820[i].type));
  }
  EXPECT_EQ(Bytes(zp.begin(), zp.begin() + 0xc0), Bytes(0xc0, 0));
  EXPECT_EQ(Bytes(zp.begin() + 0x26c, zp.begin() + 0x2d0), Bytes(0x2d0 - 0x26c, 0));
  EXPECT_EQ(Bytes(zp.begin() + 0x2d0 + 80, zp.end()), Bytes(0x1000 - 0x2d0 - 80, 0));
}

TEST(BzImage, HeaderAndKernelInfoFields) {
  Bytes img = buildBz(BzOpts{});
  LeReader r(img, "bz");
  BzImageHeader h = parseBzImageHeader(r);
  EXPECT_EQ(h.version, 0x020fu);
  EXPECT_EQ(h.pmOffset, 0x400u);
  EXPECT_EQ(h.pmSize, 0x1000u);
  EXPECT_EQ(h.initSize, 0x400000u);
  EXPECT_EQ(h.prefAddress, 0x1000000u);
  ASSERT_TRUE(h.kernelInfo);
  EXPECT_EQ(h.kernelInfo->size, 0x14u);
  EXPECT_EQ(h.kernelInfo->setupTypeMax, 10u);
  EXPECT_EQ(h.kernelInfo->mleHeaderOffset, 0x200u);

  BzOpts old;
  old.version = 0x020c;
  old.headerEnd = 0x268;
  old.kiMagic = 0;  // not looked at before 2.15
  Bytes oldImg = buildBz(old);
  LeReader r2(oldImg, "bz");
  EXPECT_FALSE(parseBzImageHeader(r2).kernelInfo);

  BzOpts zeroSects;
  zeroSects.setupSects = 0;  // means 4
  Bytes z = buildBz(zeroSects);
  LeReader r3(z, "bz");
  EXPECT_EQ(parseBzImageHeader(r3).pmOffset, 5u * 512);
}

TEST(BzImage, RelocatesWhenPrefAddressIsTakenAndHonoursNonRelocatable) {
  {
    Machine m;
    BzImageRequest req;
    req.path = writeTemp("reloc", buildBz(BzOpts{}));
    req.e820 = m.e820;
    req.avoid = {{0x1000000, 0x1000}};
    LoadedImage li = loadBzImage(m.mem, req);
    EXPECT_EQ(li.boot->entry, 0x200000u);  // first kernel_alignment boundary at or above 1 MiB
    EXPECT_EQ(rd32(m.mem, li.boot->registers[0].second + 0x214), 0x200000u);
  }
  {
    Machine m;
    BzOpts o;
    o.relocatable = 0;
    BzImageRequest req;
    req.path = writeTemp("fixed", buildBz(o));
    LoadedImage li = loadBzImage(m.mem, req);
    EXPECT_EQ(li.boot->entry, 0x100000u);
  }
}

TEST(BzImage, InitrdGoesAbove4GiBOnlyWhenTheKernelAllowsIt) {
  auto run = [](uint16_t xloadflags) {
    GuestMemory mem;
    mem.addRam(0, 0xa0000, "low");
    mem.addRam(0x100000, 0x300000, "main");
    mem.addRam(0x100000000ull, 0x1000000, "high");
    BzOpts o;
    o.relocatable = 0;
    o.initSize = 0x100000;
    o.xloadflags = xloadflags;
    BzImageRequest req;
    req.path = writeTemp("bz" + std::to_string(xloadflags), buildBz(o));
    req.initrd = writeTemp("initrd", pattern(0x201000, 7));  // larger than the 2 MiB left below 4 GiB
    LoadedImage li = loadBzImage(mem, req);
    const uint64_t bp = li.boot->registers[0].second;
    EXPECT_EQ(rd32(mem, bp + 0x218), 0u);
    EXPECT_EQ(rd32(mem, bp + 0xc0), 1u);  // 0x1_0000_0000 >> 32
    EXPECT_EQ(rd32(mem, bp + 0x21c), 0x201000u);
    EXPECT_EQ(rd32(mem, bp + 0xc4), 0u);
    EXPECT_EQ(readMem(mem, 0x100000000ull, 16), pattern(16, 7));
  };
  run(0x3);
  expectInputError([&] { run(0x1); }, {"no usable RAM for initrd", "initrd_addr_max 0x7fffffff"});
}

TEST(BzImage, Rejections) {
  auto with = [](auto change) {
    BzOpts o;
    change(o);
    return buildBz(o);
  };
  Bytes badFlag = buildBz(BzOpts{});
  put16(badFlag, 0x1fe, 0);
  Bytes badMagic = buildBz(BzOpts{});
  putStr(badMagic, 0x202, "HdrZ");
  Bytes bigSetup = buildBz(BzOpts{});  // 0x1400 bytes; 0x41 sectors would be 0x8200
  bigSetup[0x1f1] = 0x40;
  struct Case {
    const char* name;
    Bytes image;
    std::vector<std::string> needles;
    std::string cmdline = "";
    size_t e820Entries = 0;
  };
  std::vector<Case> cases = {
      {"truncated", Bytes(0x100, 0), {"boot_flag", "beyond the end of the file"}},
      {"boot_flag", badFlag, {"boot_flag at 0x1fe is 0x0"}},
      {"hdrs", badMagic, {"header at 0x202", "HdrS"}},
      {"version", with([](BzOpts& o) { o.version = 0x020b; }), {"version 0x20b", "2.12"}},
      {"loaded_high", with([](BzOpts& o) { o.loadflags = 0x80; }), {"loadflags 0x80", "LOADED_HIGH"}},
      {"header_end", with([](BzOpts& o) { o.headerEnd = 0x250; }), {"setup header end 0x250"}},
      {"setup_sects", bigSetup, {"setup_sects 0x40", "beyond the end of the file"}},
      {"alignment", with([](BzOpts& o) { o.kernelAlignment = 0x3000; }), {"kernel_alignment 0x3000"}},
      {"ki_magic", with([](BzOpts& o) { o.kiMagic = 0x41414141; }), {"kernel_info", "0x41414141", "LToP"}},
      {"ki_total", with([](BzOpts& o) { o.kiSizeTotal = 0x10000; }), {"size_total 0x10000"}},
      {"ki_offset", with([](BzOpts& o) { o.kernelInfoOffset = 0x5000; }), {"kernel_info_offset 0x5000"}},
      {"cmdline", with([](BzOpts& o) { o.cmdlineSize = 8; }), {"cmdline_size 0x8"}, "console=ttyS0"},
      {"e820", buildBz(BzOpts{}), {"129 entries", "at most 128"}, "", 129},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Machine m;
    BzImageRequest req;
    req.path = writeTemp(c.name, c.image);
    req.cmdline = c.cmdline;
    for (size_t i = 0; i < c.e820Entries; ++i) req.e820.push_back({i * 0x1000, 0x1000, E820Type::Ram});
    std::vector<std::string> needles = c.needles;
    needles.push_back(req.path);
    expectInputError([&] { loadBzImage(m.mem, req); }, needles);
  }
}

TEST(BzImage, KernelInReservedMemoryAndMissingInitrdAreRejected) {
  Machine m;
  BzOpts o;
  o.relocatable = 0;
  BzImageRequest req;
  req.path = writeTemp("bz", buildBz(o));
  req.e820 = {{0, 0x9f000, E820Type::Ram}, {0x100000, 0x100000, E820Type::Reserved}, {0x200000, 0x1000000, E820Type::Ram}};
  expectInputError([&] { loadBzImage(m.mem, req); }, {"protected-mode kernel at 0x100000", "not usable RAM"});
  req.e820 = m.e820;
  req.initrd = ::testing::TempDir() + "dlsim_ld_no_initrd";
  expectInputError([&] { loadBzImage(m.mem, req); }, {*req.initrd});
}

}  // namespace
}  // namespace dlsim
