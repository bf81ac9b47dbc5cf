// Multiboot2 header tags and boot information tags (see multiboot2_loader.h).
#include "sim/loaders/multiboot2_loader.h"

#include <algorithm>
#include <optional>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/image_bytes.h"
#include "sim/loaders/elf_loader.h"
#include "sim/loaders/elf_sections.h"

namespace dlsim {

namespace {

constexpr uint64_t kSearchLimit = 32768;
constexpr uint16_t kTagOptional = 1;
const std::string kLoaderName = "dlsim";

// Header tag types.
enum : uint16_t {
  kHdrEnd = 0, kHdrInfoRequest = 1, kHdrAddress = 2, kHdrEntry = 3, kHdrConsole = 4, kHdrFramebuffer = 5,
  kHdrModuleAlign = 6, kHdrEfiBootServices = 7, kHdrEfi32Entry = 8, kHdrEfi64Entry = 9, kHdrRelocatable = 10,
};
// Boot information tag types this loader provides.
enum : uint32_t {
  kInfoEnd = 0,
  kInfoCmdline = 1,
  kInfoLoaderName = 2,
  kInfoModule = 3,
  kInfoMeminfo = 4,
  kInfoMmap = 6,
  kInfoElfSections = 9
};

std::string infoTagName(uint32_t t) {
  static const char* names[] = {"end", "command line", "boot loader name", "module", "basic memory information",
                                "BIOS boot device", "memory map", "VBE info", "framebuffer info", "ELF symbols",
                                "APM table", "EFI 32-bit system table", "EFI 64-bit system table", "SMBIOS tables",
                                "ACPI old RSDP", "ACPI new RSDP", "networking information", "EFI memory map",
                                "EFI boot services not terminated", "EFI 32-bit image handle",
                                "EFI 64-bit image handle", "image load base physical address"};
  return t < std::size(names) ? std::string(" (") + names[t] + ")" : std::string(" (unknown)");
}

struct Header {
  uint64_t offset = 0;
  uint32_t length = 0;
};

Header findHeader(const LeReader& r) {
  std::string badChecksum;
  uint64_t limit = std::min<uint64_t>(r.size(), kSearchLimit);
  for (uint64_t off = 0; off + 16 <= limit; off += 8) {
    if (r.u32(off, "multiboot2 magic") != kMultiboot2HeaderMagic) continue;
    uint32_t arch = r.u32(off + 4, "multiboot2 architecture");
    uint32_t len = r.u32(off + 8, "multiboot2 header_length");
    uint32_t sum = r.u32(off + 12, "multiboot2 checksum");
    if (uint32_t(kMultiboot2HeaderMagic + arch + len + sum) != 0) {
      if (badChecksum.empty())
        badChecksum = " (magic at offset " + hex(off) + " has checksum " + hex(sum) +
                      " but magic + architecture + header_length + checksum must be 0 mod 2^32)";
      continue;
    }
    std::string where = "multiboot2 header at offset " + hex(off);
    if (arch != 0) r.fail(where + ": architecture " + hex(arch) + " is not i386 protected mode (0)");
    if (len < 24 || off + len > limit)
      r.fail(where + ": header_length " + hex(len) + " is below 24 or extends beyond the first 32768 bytes or the file");
    return {off, len};
  }
  r.fail("no multiboot2 header (magic 0xe85250d6, 8-byte aligned, valid checksum) in the first 32768 bytes" +
         badChecksum);
}

struct Tags {
  bool hasAddress = false;
  AoutAddresses address;
  bool hasEntry = false;
  uint32_t entry = 0;
};

Tags parseTags(const LeReader& r, const Header& h) {
  static const uint32_t provided[] = {kInfoEnd, kInfoCmdline, kInfoLoaderName, kInfoModule, kInfoMeminfo, kInfoMmap};
  Tags t;
  const uint64_t end = h.offset + h.length;
  for (uint64_t off = h.offset + 16;; off = alignUp(off + r.u32(off + 4, "tag size"), 8)) {
    std::string where = "multiboot2 header tag at offset " + hex(off);
    if (off + 8 > end) r.fail("multiboot2 header at offset " + hex(h.offset) + ": no end tag within header_length " + hex(h.length));
    uint16_t type = r.u16(off, where + ": type");
    uint16_t flags = r.u16(off + 2, where + ": flags");
    uint32_t size = r.u32(off + 4, where + ": size");
    where += " (type " + std::to_string(type) + ")";
    bool optional = flags & kTagOptional;
    if (size < 8 || size > end - off) r.fail(where + ": size " + hex(size) + " is below 8 or extends past header_length");
    auto need = [&](uint32_t min) {
      if (size < min) r.fail(where + ": size " + hex(size) + " is below " + hex(min));
    };
    switch (type) {
      case kHdrEnd:
        return t;
      case kHdrInfoRequest:
        for (uint64_t p = off + 8; p + 4 <= off + size; p += 4) {
          uint32_t req = r.u32(p, where + ": mbi_tag_types");
          if (std::find(std::begin(provided), std::end(provided), req) == std::end(provided) && !optional)
            r.fail(where + ": information request for tag type " + std::to_string(req) + infoTagName(req) +
                   " is required but dlsim cannot provide it");
        }
        break;
      case kHdrAddress:
        need(24);
        t.hasAddress = true;
        t.address.headerAddr = r.u32(off + 8, where + ": header_addr");
        t.address.loadAddr = r.u32(off + 12, where + ": load_addr");
        t.address.loadEndAddr = r.u32(off + 16, where + ": load_end_addr");
        t.address.bssEndAddr = r.u32(off + 20, where + ": bss_end_addr");
        break;
      case kHdrEntry:
        need(12);
        t.hasEntry = true;
        t.entry = r.u32(off + 8, where + ": entry_addr");
        break;
      case kHdrConsole:      // an EGA text console is always there
      case kHdrModuleAlign:  // modules are always page aligned
        break;
      case kHdrEfiBootServices:
      case kHdrEfi32Entry:
      case kHdrEfi64Entry:
        break;  // only taken into account on EFI platforms; dlsim boots like BIOS
      case kHdrFramebuffer:
      case kHdrRelocatable:
      default:
        if (!optional) r.fail(where + ": tag type " + std::to_string(type) + " is required but not supported");
        break;
    }
  }
}

// Builds the boot information; module addresses may be placeholders when only
// the size is wanted.
ByteBuffer buildInfo(const MultibootRequest& req, const std::vector<PlacedModule>& mods, const E820Map& map,
                     const std::optional<ElfSectionHeaders>& sections) {
  ByteBuffer b;
  b.put32(4, 0);  // reserved
  auto stringTag = [&](uint32_t type, const std::string& s) {
    uint64_t at = b.size();
    b.put32(at, type);
    b.put32(at + 4, static_cast<uint32_t>(8 + s.size() + 1));
    b.putString(at + 8, s);
    b.alignTo(8);
  };
  stringTag(kInfoCmdline, req.cmdline);
  stringTag(kInfoLoaderName, kLoaderName);
  for (size_t i = 0; i < req.modules.size(); ++i) {
    uint64_t at = b.size();
    b.put32(at, kInfoModule);
    b.put32(at + 4, static_cast<uint32_t>(16 + req.modules[i].cmdline.size() + 1));
    b.put32(at + 8, i < mods.size() ? static_cast<uint32_t>(mods[i].start) : 0);
    b.put32(at + 12, i < mods.size() ? static_cast<uint32_t>(mods[i].end) : 0);
    b.putString(at + 16, req.modules[i].cmdline);
    b.alignTo(8);
  }
  MemSizes ms = memSizes(map);
  uint64_t at = b.size();
  b.put32(at, kInfoMeminfo);
  b.put32(at + 4, 16);
  b.put32(at + 8, ms.lowerKiB);
  b.put32(at + 12, ms.upperKiB);
  at = b.size();
  b.put32(at, kInfoMmap);
  b.put32(at + 4, static_cast<uint32_t>(16 + 24 * map.size()));
  b.put32(at + 8, 24);  // entry_size
  b.put32(at + 12, 0);  // entry_version
  for (size_t i = 0; i < map.size(); ++i) {
    uint64_t e = at + 16 + 24 * i;
    b.put64(e, map[i].addr);
    b.put64(e + 8, map[i].size);
    b.put32(e + 16, static_cast<uint32_t>(map[i].type));
    b.put32(e + 20, 0);
  }
  b.alignTo(8);
  if (sections) {
    // ELF symbols, in GRUB's layout (u32 num, entsize, shndx; the
    // specification's text shows u16 fields, GRUB and its kernels use u32):
    // the section headers as in the file. GRUB also loads the sections no
    // segment covers and points their sh_addr at the copies; dlsim does not.
    at = b.size();
    b.put32(at, kInfoElfSections);
    b.put32(at + 4, static_cast<uint32_t>(20 + sections->headers.size()));
    b.put32(at + 8, sections->num);
    b.put32(at + 12, sections->entsize);
    b.put32(at + 16, sections->shndx);
    b.putBytes(at + 20, sections->headers);
    b.alignTo(8);
  }
  at = b.size();
  b.put32(at, kInfoEnd);
  b.put32(at + 4, 8);
  b.put32(0, static_cast<uint32_t>(b.size()));  // total_size
  return b;
}

}  // namespace

LoadedImage loadMultiboot2(GuestMemory& mem, const MultibootRequest& req) {
  const ImageBytes image = readImageBytes(req.path, decompressLimit(mem));
  LeReader r(image.bytes, req.path);
  Header h = findHeader(r);
  Tags tags = parseTags(r, h);
  std::string where = "multiboot2 header at offset " + hex(h.offset);

  E820Map map = effectiveE820(req.e820, mem);
  Placement place(mem, map, req.avoid, req.path);
  WritePlan plan;
  GpaRange kernel;
  uint64_t entry;
  std::string format;
  std::optional<ElfSectionHeaders> sections;
  if (tags.hasAddress) {
    if (!tags.hasEntry) r.fail(where + ": address tag (type 2) without an entry address tag (type 3)");
    kernel = planAoutKludge(r, h.offset, tags.address, true, where + ": address tag", place, plan);
    entry = tags.entry;
    format = "address tag";
  } else {
    if (!hasElfMagic(r)) r.fail(where + ": no address tag (type 2) and the image is not ELF");
    ElfImage elf = parseElf(r);
    kernel = planElfSegments(r, elf, place, plan);
    sections = readElfSectionHeaders(r);
    entry = tags.hasEntry ? tags.entry : elf.entry;
    format = elf.is64 ? "ELF64" : "ELF32";
  }
  if (kernel.second > k4GiB) r.fail("kernel ends at " + hex(kernel.second) + ", above 4 GiB");
  if (entry >= k4GiB) r.fail("entry address " + hex(entry) + " is above 4 GiB");

  const uint64_t len = buildInfo(req, {}, map, sections).size();
  std::vector<std::vector<uint8_t>> moduleData;
  std::vector<PlacedModule> mods;
  uint64_t info;
  if (req.infoAddress) {
    info = claimInfoBlock(req.infoAddress, len, 8, 0, place, req.path);
    mods = planModules(req.modules, alignUp(kernel.second, kPageSize), decompressLimit(mem), place, plan, moduleData);
  } else {
    mods = planModules(req.modules, alignUp(kernel.second, kPageSize), decompressLimit(mem), place, plan, moduleData);
    uint64_t above = mods.empty() ? kernel.second : mods.back().end;
    info = claimInfoBlock(std::nullopt, len, kPageSize, alignUp(above, kPageSize), place, req.path);
  }
  ByteBuffer b = buildInfo(req, mods, map, sections);
  plan.copy(info, b.data());
  plan.commit(mem);

  return multibootLoadedImage({"multiboot2", req.path, &image, format, kernel, entry, kMultiboot2BootMagic, info,
                               " (" + hex(len) + " bytes)"},
                              mods, place);
}

}  // namespace dlsim
