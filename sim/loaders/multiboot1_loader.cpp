// Multiboot 1 header parsing and boot information (see multiboot1_loader.h).
// multiboot_info offsets: 0 flags, 4 mem_lower, 8 mem_upper, 16 cmdline,
// 20 mods_count, 24 mods_addr, 44 mmap_length, 48 mmap_addr,
// 64 boot_loader_name; 116 bytes in all (through the framebuffer fields).
#include "sim/loaders/multiboot1_loader.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/elf_loader.h"
#include "sim/loaders/image_bytes.h"

namespace dlsim {

namespace {

constexpr uint64_t kSearchLimit = 8192;
// Header flags: bits 0 (page-align modules) and 1 (memory information) are
// always honoured; bit 2 (video mode) is not; bit 16 selects the address fields.
constexpr uint32_t kFlagVideo = 1u << 2, kFlagAout = 1u << 16;

constexpr uint32_t kInfoMem = 1u << 0, kInfoCmdline = 1u << 2, kInfoMods = 1u << 3, kInfoMmap = 1u << 6,
                   kInfoLoaderName = 1u << 9;
constexpr uint64_t kInfoSize = 116;
const std::string kLoaderName = "dlsim";

struct Header {
  uint64_t offset = 0;
  uint32_t flags = 0;
};

Header findHeader(const LeReader& r) {
  std::string badChecksum;
  uint64_t limit = std::min<uint64_t>(r.size(), kSearchLimit);
  for (uint64_t off = 0; off + 12 <= limit; off += 4) {
    if (r.u32(off, "multiboot magic") != kMultiboot1HeaderMagic) continue;
    uint32_t flags = r.u32(off + 4, "multiboot flags");
    uint32_t sum = r.u32(off + 8, "multiboot checksum");
    if (uint32_t(kMultiboot1HeaderMagic + flags + sum) == 0) return {off, flags};
    if (badChecksum.empty())
      badChecksum = " (magic at offset " + hex(off) + " has checksum " + hex(sum) + " but magic + flags " + hex(flags) +
                    " + checksum must be 0 mod 2^32)";
  }
  r.fail("no multiboot header (magic 0x1badb002, 4-byte aligned, valid checksum) in the first 8192 bytes" +
         badChecksum);
}

}  // namespace

LoadedImage loadMultiboot1(GuestMemory& mem, const MultibootRequest& req) {
  const ImageBytes image = readImageBytes(req.path, decompressLimit(mem));
  LeReader r(image.bytes, req.path);
  Header h = findHeader(r);
  std::string where = "multiboot header at offset " + hex(h.offset);
  if (h.flags & kFlagVideo)
    r.fail(where + ": flags " + hex(h.flags) + " bit 2 (video mode) is required but not supported");
  uint32_t unknownRequired = h.flags & 0xfff8u;
  if (unknownRequired)
    r.fail(where + ": flags " + hex(h.flags) + " has required bits " + hex(unknownRequired) + " this loader does not know");

  E820Map e820 = effectiveE820(req.e820, mem);
  Placement place(mem, e820, req.avoid, req.path);
  WritePlan plan;
  GpaRange kernel;
  uint64_t entry;
  std::string format;
  if (h.flags & kFlagAout) {
    if (h.offset + 32 > kSearchLimit) r.fail(where + ": address fields extend beyond the first 8192 bytes");
    AoutAddresses a;
    a.headerAddr = r.u32(h.offset + 12, where + ": header_addr");
    a.loadAddr = r.u32(h.offset + 16, where + ": load_addr");
    a.loadEndAddr = r.u32(h.offset + 20, where + ": load_end_addr");
    a.bssEndAddr = r.u32(h.offset + 24, where + ": bss_end_addr");
    entry = r.u32(h.offset + 28, where + ": entry_addr");
    kernel = planAoutKludge(r, h.offset, a, false, where, place, plan);
    format = "address fields";
  } else {
    ElfImage elf = parseElf(r);
    kernel = planElfSegments(r, elf, place, plan);
    entry = elf.entry;
    format = elf.is64 ? "ELF64" : "ELF32";
  }
  if (kernel.second > k4GiB) r.fail("kernel ends at " + hex(kernel.second) + ", above 4 GiB");
  if (entry >= k4GiB) r.fail("entry address " + hex(entry) + " is above 4 GiB");

  // Boot information block: multiboot_info, mods array, mmap, then strings.
  E820Map map = e820;
  const uint64_t modsOff = alignUp(kInfoSize, 8);
  const uint64_t mmapOff = modsOff + 16 * req.modules.size();
  const uint64_t stringsOff = mmapOff + 24 * map.size();
  uint64_t len = stringsOff + req.cmdline.size() + 1 + kLoaderName.size() + 1;
  for (const auto& m : req.modules) len += m.cmdline.size() + 1;

  std::vector<std::vector<uint8_t>> moduleData;
  std::vector<PlacedModule> mods;
  uint64_t info;
  if (req.infoAddress) {
    info = claimInfoBlock(req.infoAddress, len, 4, 0, place, req.path);
    mods = planModules(req.modules, alignUp(kernel.second, kPageSize), decompressLimit(mem), place, plan, moduleData);
  } else {
    mods = planModules(req.modules, alignUp(kernel.second, kPageSize), decompressLimit(mem), place, plan, moduleData);
    uint64_t above = mods.empty() ? kernel.second : mods.back().end;
    info = claimInfoBlock(std::nullopt, len, kPageSize, alignUp(above, kPageSize), place, req.path);
  }

  ByteBuffer b;
  uint64_t str = stringsOff;
  auto putStr = [&](const std::string& s) {
    b.putString(str, s);
    uint64_t at = info + str;
    str += s.size() + 1;
    return static_cast<uint32_t>(at);
  };
  MemSizes ms = memSizes(map);
  uint32_t flags = kInfoMem | kInfoCmdline | kInfoMmap | kInfoLoaderName | (mods.empty() ? 0 : kInfoMods);
  b.put32(0, flags);
  b.put32(4, ms.lowerKiB);
  b.put32(8, ms.upperKiB);
  b.put32(16, putStr(req.cmdline));
  b.put32(20, static_cast<uint32_t>(mods.size()));
  b.put32(24, mods.empty() ? 0 : static_cast<uint32_t>(info + modsOff));
  for (size_t i = 0; i < mods.size(); ++i) {
    uint64_t e = modsOff + 16 * i;
    b.put32(e, static_cast<uint32_t>(mods[i].start));
    b.put32(e + 4, static_cast<uint32_t>(mods[i].end));
    b.put32(e + 8, putStr(mods[i].cmdline));
    b.put32(e + 12, 0);
  }
  b.put32(44, static_cast<uint32_t>(24 * map.size()));
  b.put32(48, static_cast<uint32_t>(info + mmapOff));
  for (size_t i = 0; i < map.size(); ++i) {
    uint64_t e = mmapOff + 24 * i;
    b.put32(e, 20);  // size of the entry without this field
    b.put64(e + 4, map[i].addr);
    b.put64(e + 12, map[i].size);
    b.put32(e + 20, static_cast<uint32_t>(map[i].type));
  }
  b.put32(64, putStr(kLoaderName));
  if (b.size() != len) throw InternalError("multiboot1 info size " + hex(b.size()) + " != planned " + hex(len));
  plan.copy(info, b.data());
  plan.commit(mem);

  return multibootLoadedImage({"multiboot1", req.path, &image, format, kernel, entry, kMultiboot1BootMagic, info, ""},
                              mods, place);
}

}  // namespace dlsim
