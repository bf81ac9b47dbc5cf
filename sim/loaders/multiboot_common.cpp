// Shared Multiboot 1/2 loading steps (see multiboot_common.h).
#include "sim/loaders/multiboot_common.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/image_bytes.h"

namespace dlsim {

E820Map effectiveE820(const E820Map& e820, const GuestMemory& mem) {
  if (!e820.empty()) return e820;
  E820Map out;
  for (const auto& r : mem.regions()) out.push_back({r.base, r.size, E820Type::Ram});
  return out;
}

MemSizes memSizes(const E820Map& e820) {
  // The usable byte set: RAM entries minus every other entry. Walk it from an
  // address upwards as long as it stays usable.
  auto usableAt = [&](uint64_t a, uint64_t& runEnd) {
    bool ram = false;
    uint64_t end = 0;
    for (const auto& e : e820)
      if (e.type == E820Type::Ram && a >= e.addr && a - e.addr < e.size) {
        ram = true;
        end = std::max<uint64_t>(end, e.size > ~e.addr ? ~uint64_t{0} : e.addr + e.size);
      }
    if (!ram) return false;
    for (const auto& e : e820)
      if (e.type != E820Type::Ram && e.size) {
        if (a >= e.addr && a - e.addr < e.size) return false;
        if (e.addr > a) end = std::min(end, e.addr);
      }
    runEnd = end;
    return true;
  };
  auto contiguousFrom = [&](uint64_t a) {
    uint64_t cur = a, end = 0;
    while (usableAt(cur, end) && end > cur) cur = end;
    return cur - a;
  };
  MemSizes m;
  m.lowerKiB = static_cast<uint32_t>(std::min<uint64_t>(contiguousFrom(0), 640 * 1024) / 1024);
  m.upperKiB = static_cast<uint32_t>(std::min<uint64_t>(contiguousFrom(0x100000) / 1024, 0xffffffffu));
  return m;
}

GpaRange planAoutKludge(const LeReader& r, uint64_t headerOffset, const AoutAddresses& a, bool allowLoadFromStart,
                        const std::string& where, Placement& place, WritePlan& plan) {
  uint64_t loadAddr = a.loadAddr, loadOffset;
  if (allowLoadFromStart && a.loadAddr == 0xffffffffu) {
    if (headerOffset > a.headerAddr)
      r.fail(where + ": header_addr " + hex(a.headerAddr) + " is below the header's file offset " + hex(headerOffset) +
             " (load_addr -1 loads from the file's start)");
    loadOffset = 0;
    loadAddr = a.headerAddr - headerOffset;
  } else {
    if (a.loadAddr > a.headerAddr)
      r.fail(where + ": load_addr " + hex(a.loadAddr) + " is above header_addr " + hex(a.headerAddr));
    if (a.headerAddr - a.loadAddr > headerOffset)
      r.fail(where + ": header_addr " + hex(a.headerAddr) + " - load_addr " + hex(a.loadAddr) +
             " exceeds the header's file offset " + hex(headerOffset));
    loadOffset = headerOffset - (a.headerAddr - a.loadAddr);
  }
  uint64_t loadSize;
  if (a.loadEndAddr == 0) {
    loadSize = r.size() - loadOffset;
  } else {
    if (a.loadEndAddr < loadAddr)
      r.fail(where + ": load_end_addr " + hex(a.loadEndAddr) + " is below load_addr " + hex(loadAddr));
    loadSize = a.loadEndAddr - loadAddr;
    if (loadSize > r.size() - loadOffset)
      r.fail(where + ": load_end_addr " + hex(a.loadEndAddr) + " asks for " + hex(loadSize) +
             " bytes from file offset " + hex(loadOffset) + " but the file has " + hex(r.size()));
  }
  uint64_t dataEnd = loadAddr + loadSize, end = dataEnd;
  if (a.bssEndAddr != 0) {
    if (a.bssEndAddr < dataEnd)
      r.fail(where + ": bss_end_addr " + hex(a.bssEndAddr) + " is below the end of the loaded data " + hex(dataEnd));
    end = a.bssEndAddr;
  }
  if (end == loadAddr) r.fail(where + ": the address fields describe an empty image");
  place.claimFixed(loadAddr, end - loadAddr,
                   "image from load_addr " + hex(loadAddr) + " to " + (a.bssEndAddr ? "bss_end_addr " : "load end ") +
                       hex(end));
  plan.copy(loadAddr, r.bytes(loadOffset, loadSize, where + ": loaded text and data"));
  if (end > dataEnd) plan.zero(dataEnd, end - dataEnd);
  return {loadAddr, end};
}

std::vector<PlacedModule> planModules(const std::vector<MultibootModule>& modules, uint64_t min, uint64_t limit,
                                      Placement& place, WritePlan& plan, std::vector<std::vector<uint8_t>>& storage) {
  std::vector<PlacedModule> out;
  storage.reserve(storage.size() + modules.size());
  for (size_t i = 0; i < modules.size(); ++i) {
    ImageBytes image =
        readImageBytes(modules[i].path, limit, modules[i].nounzip ? GzipMode::Keep : GzipMode::Decompress);
    storage.push_back(std::move(image.bytes));
    const auto& data = storage.back();
    std::string what = "module " + std::to_string(i) + " (" + modules[i].path + ", " + hex(data.size()) + " bytes)";
    uint64_t at = place.claimLowest(alignUp(std::max<uint64_t>(data.size(), 1), kPageSize), kPageSize, min, k4GiB, what);
    plan.copy(at, data);
    out.push_back({at, at + data.size(), modules[i].cmdline, modules[i].path, std::nullopt});
    if (image.decompressed) out.back().decompressed = DecompressedFile{modules[i].path, image.fileBytes, data.size()};
  }
  return out;
}

uint64_t claimInfoBlock(const std::optional<uint64_t>& fixed, uint64_t len, uint64_t align, uint64_t min,
                        Placement& place, const std::string& file) {
  if (!fixed) return place.claimLowest(len, align, min, k4GiB, "boot information (" + hex(len) + " bytes)");
  uint64_t at = *fixed;
  if (at % align) throw InputError(file + ": info_address " + hex(at) + " is not " + std::to_string(align) + "-byte aligned");
  if (at >= k4GiB || len > k4GiB - at)
    throw InputError(file + ": info_address " + hex(at) + " + " + hex(len) + " bytes is not below 4 GiB");
  place.claimFixed(at, len, "boot information at info_address " + hex(at) + " (" + hex(len) + " bytes)");
  return at;
}

LoadedImage multibootLoadedImage(const MultibootLoad& load, const std::vector<PlacedModule>& mods,
                                 const Placement& place) {
  LoadedImage out;
  out.placed = place.claimed();
  BootState boot;
  boot.mode = EntryMode::Protected;
  boot.entry = load.entry;
  boot.registers = {{"eax", load.magic}, {"ebx", load.info}};
  out.boot = boot;
  const ImageBytes& image = *load.image;
  if (image.decompressed) out.decompressed.push_back({load.path, image.fileBytes, image.bytes.size()});
  for (const PlacedModule& m : mods)
    if (m.decompressed) out.decompressed.push_back(*m.decompressed);
  out.summary = load.protocol + " " + load.path + image.note() + ": " + load.format + ", kernel [" +
                hex(load.kernel.first) + ", " + hex(load.kernel.second) + "), " + std::to_string(mods.size()) +
                " module(s), info at " + hex(load.info) + load.infoNote + ", entry " + hex(load.entry) +
                " (protected)";
  return out;
}

}  // namespace dlsim
