// Debian's own files, when scripts/fetch-tboot.sh has unpacked them: GRUB's
// `multiboot2 /boot/tboot.gz` loads the decompressed ELF, and
// /boot/tboot-syms names its entry point. Skipped without the package.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/loaders/image_bytes.h"
#include "sim/loaders/multiboot2_loader.h"
#include "sim/symbol_map.h"

namespace dlsim {
namespace {

const std::string kDir = std::string(DLSIM_SOURCE_DIR) + "/.cache/debian-tboot/boot/";

TEST(DebianTboot, TbootGzLoadsDecompressedAndItsEntryIsTheSymbolStart) {
  if (!std::filesystem::exists(kDir + "tboot.gz") || !std::filesystem::exists(kDir + "tboot-syms"))
    GTEST_SKIP() << "Debian's tboot is not unpacked (bash scripts/fetch-tboot.sh)";
  GuestMemory mem;
  mem.addRam(0, 0xa0000, "low");
  mem.addRam(0x100000, 0x7f00000, "main");
  MultibootRequest req;
  req.path = kDir + "tboot.gz";
  req.cmdline = "logging=serial,memory,vga";
  LoadedImage li = loadMultiboot2(mem, req);
  ASSERT_TRUE(li.boot);
  ASSERT_EQ(li.decompressed.size(), 1u);
  EXPECT_EQ(li.decompressed[0].fileBytes, std::filesystem::file_size(req.path));
  EXPECT_GT(li.decompressed[0].bytes, li.decompressed[0].fileBytes);

  SymbolMap syms;
  syms.addFile(kDir + "tboot-syms");
  const SymbolMap::Symbol* entry = syms.lookup(li.boot->entry);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->address, li.boot->entry);
  // tboot's entry (its ELF e_entry) is the label its sources call start;
  // _mle_start and _start share the address and sort first.
  EXPECT_EQ(syms.describe(li.boot->entry), "_mle_start");
  // The multiboot header's first bytes are where tboot-syms says.
  const SymbolMap::Symbol* mb2 = syms.lookup(0x800010);
  ASSERT_NE(mb2, nullptr);
  EXPECT_EQ(mb2->name, "multiboot2_header");
  uint32_t magic = 0;
  ASSERT_TRUE(mem.readValue(mb2->address, magic));
  EXPECT_EQ(magic, 0xE85250D6u);  // the Multiboot2 header magic (Multiboot2 spec 3.1.1)
}

}  // namespace
}  // namespace dlsim
