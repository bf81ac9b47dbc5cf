// bzImage setup header parsing and zero-page construction (see bzimage_loader.h).
// Zero page offsets used: 0x0c0 ext_ramdisk_image, 0x0c4 ext_ramdisk_size,
// 0x0c8 ext_cmd_line_ptr, 0x1e8 e820_entries, 0x1f1 setup header,
// 0x2d0 e820_table[128] (u64 addr, u64 size, u32 type).
#include "sim/loaders/bzimage_loader.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/image_bytes.h"
#include "sim/loaders/multiboot_common.h"
#include "sim/loaders/placement.h"

namespace dlsim {

namespace {

constexpr uint64_t kZeroPageSize = 4096;
constexpr uint64_t kSetupHeader = 0x1f1;
constexpr uint64_t kHeaderLimit = 0x290;  // the setup header area ends where edd_mbr_sig_buffer starts
constexpr size_t kMaxE820 = 128;
constexpr uint64_t kDefaultLoad = 0x100000;
constexpr uint64_t kLowMemEnd = 0xa0000;

}  // namespace

BzImageHeader parseBzImageHeader(const LeReader& r) {
  BzImageHeader h;
  uint16_t bootFlag = r.u16(0x1fe, "boot_flag");
  if (bootFlag != 0xaa55) r.fail("boot_flag at 0x1fe is " + hex(bootFlag) + ", not 0xaa55");
  uint32_t magic = r.u32(0x202, "header");
  if (magic != 0x53726448) r.fail("header at 0x202 is " + hex(magic) + ", not \"HdrS\" (0x53726448)");
  h.version = r.u16(0x206, "version");
  if (h.version < 0x020c)
    r.fail("boot protocol version " + hex(h.version) + " is older than 2.12 (0x20c), the oldest dlsim loads");
  h.headerEnd = 0x202 + uint64_t(r.u8(0x201, "jump"));
  const uint64_t needEnd = h.version >= 0x020f ? 0x26c : 0x268;
  if (h.headerEnd < needEnd || h.headerEnd > kHeaderLimit)
    r.fail("setup header end " + hex(h.headerEnd) + " (0x202 + jump byte at 0x201) is outside " + hex(needEnd) + ".." +
           hex(kHeaderLimit) + " for protocol " + hex(h.version));
  r.bytes(kSetupHeader, h.headerEnd - kSetupHeader, "setup header");

  h.setupSects = r.u8(0x1f1, "setup_sects");
  if (h.setupSects == 0) h.setupSects = 4;
  h.pmOffset = (uint64_t(h.setupSects) + 1) * 512;
  if (h.pmOffset >= r.size())
    r.fail("setup_sects " + hex(h.setupSects) + " puts the protected-mode kernel at " + hex(h.pmOffset) +
           ", at or beyond the end of the file (size " + hex(r.size()) + ")");
  h.pmSize = r.size() - h.pmOffset;

  h.loadflags = r.u8(0x211, "loadflags");
  if (!(h.loadflags & kLoadedHigh))
    r.fail("loadflags " + hex(h.loadflags) + " lacks LOADED_HIGH (0x1): zImage kernels are not supported");
  h.kernelAlignment = r.u32(0x230, "kernel_alignment");
  h.relocatable = r.u8(0x234, "relocatable_kernel") != 0;
  if (h.relocatable && (h.kernelAlignment == 0 || (h.kernelAlignment & (h.kernelAlignment - 1))))
    r.fail("kernel_alignment " + hex(h.kernelAlignment) + " is not a power of two");
  h.xloadflags = r.u16(0x236, "xloadflags");
  h.cmdlineSize = r.u32(0x238, "cmdline_size");
  h.initrdAddrMax = r.u32(0x22c, "initrd_addr_max");
  h.prefAddress = r.u64(0x258, "pref_address");
  h.initSize = r.u32(0x260, "init_size");

  if (h.version >= 0x020f) {
    h.kernelInfoOffset = r.u32(0x268, "kernel_info_offset");
    const uint64_t at = h.pmOffset + h.kernelInfoOffset;
    const std::string field = "kernel_info at kernel_info_offset " + hex(h.kernelInfoOffset);
    if (h.kernelInfoOffset > h.pmSize || h.pmSize - h.kernelInfoOffset < 16)
      r.fail(field + " extends beyond the protected-mode kernel (size " + hex(h.pmSize) + ")");
    uint32_t kiMagic = r.u32(at, field + ": header");
    if (kiMagic != 0x506f544c) r.fail(field + ": header " + hex(kiMagic) + " is not \"LToP\" (0x506f544c)");
    BzKernelInfo ki;
    ki.size = r.u32(at + 4, field + ": size");
    ki.sizeTotal = r.u32(at + 8, field + ": size_total");
    if (ki.size < 16) r.fail(field + ": size " + hex(ki.size) + " is below 0x10");
    if (ki.sizeTotal < ki.size) r.fail(field + ": size_total " + hex(ki.sizeTotal) + " is below size " + hex(ki.size));
    if (ki.sizeTotal > h.pmSize - h.kernelInfoOffset)
      r.fail(field + ": size_total " + hex(ki.sizeTotal) + " extends beyond the protected-mode kernel (size " +
             hex(h.pmSize) + ")");
    ki.setupTypeMax = r.u32(at + 12, field + ": setup_type_max");
    if (ki.size >= 0x14) ki.mleHeaderOffset = r.u32(at + 16, field + ": mle_header_offset");
    h.kernelInfo = ki;
  }
  return h;
}

LoadedImage loadBzImage(GuestMemory& mem, const BzImageRequest& req) {
  const ImageBytes image = readImageBytes(req.path, decompressLimit(mem));
  LeReader r(image.bytes, req.path);
  BzImageHeader h = parseBzImageHeader(r);

  if (req.cmdline.size() > h.cmdlineSize)
    r.fail("command line of " + hex(req.cmdline.size()) + " bytes is longer than cmdline_size " + hex(h.cmdlineSize));
  E820Map map = effectiveE820(req.e820, mem);
  if (map.size() > kMaxE820)
    r.fail("e820 map has " + std::to_string(map.size()) + " entries; boot_params e820_table holds at most 128");

  Placement place(mem, map, req.avoid, req.path);
  WritePlan plan;

  // Protected-mode kernel: it decompresses within init_size of its start.
  const uint64_t claim = std::max<uint64_t>(h.pmSize, h.initSize);
  uint64_t load = kDefaultLoad;
  std::string how = "at 0x100000";
  if (h.relocatable && h.prefAddress) {
    uint64_t found = 0;
    if (h.prefAddress < k4GiB && claim <= k4GiB - h.prefAddress &&
        place.findLowest(claim, 1, h.prefAddress, h.prefAddress + claim, found) && found == h.prefAddress) {
      load = h.prefAddress;
      how = "at pref_address";
    } else if (place.findLowest(claim, h.kernelAlignment, kDefaultLoad, k4GiB, found)) {
      load = found;
      how = "relocated (pref_address " + hex(h.prefAddress) + " not free)";
    } else {
      r.fail("no usable RAM below 4 GiB for the kernel's init_size " + hex(claim) + " aligned to kernel_alignment " +
             hex(h.kernelAlignment));
    }
  }
  if (claim > k4GiB - load) r.fail("protected-mode kernel at " + hex(load) + " + " + hex(claim) + " ends above 4 GiB");
  place.claimFixed(load, claim,
                   "protected-mode kernel at " + hex(load) + " (max(file part " + hex(h.pmSize) + ", init_size " +
                       hex(h.initSize) + "))");
  plan.copy(load, r.bytes(h.pmOffset, h.pmSize, "protected-mode kernel"));

  // Zero page and command line: as high as fits below 640 KiB, else above the kernel.
  const uint64_t blockLen = kZeroPageSize + req.cmdline.size() + 1;
  const std::string bpWhat = "boot_params and command line (" + hex(blockLen) + " bytes)";
  uint64_t bp = 0;
  if (place.findHighest(blockLen, kPageSize, 0x1000, kLowMemEnd, bp))
    place.claimFixed(bp, blockLen, bpWhat);
  else
    bp = place.claimLowest(blockLen, kPageSize, load + claim, k4GiB, bpWhat);
  const uint64_t cmdlineAt = bp + kZeroPageSize;

  // initrd: as high as fits below initrd_addr_max, above the kernel; above
  // 4 GiB only when the kernel says it can take that.
  std::vector<uint8_t> initrd;
  uint64_t initrdAt = 0;
  if (req.initrd) {
    initrd = readImageFile(*req.initrd);  // as GRUB's initrd: never decompressed (image_bytes.h)
    const uint64_t len = alignUp(std::max<uint64_t>(initrd.size(), 1), kPageSize);
    const uint64_t limit = std::min<uint64_t>(uint64_t(h.initrdAddrMax) + 1, k4GiB);
    const std::string what = "initrd " + *req.initrd + " (" + hex(initrd.size()) + " bytes)";
    if (!place.findHighest(len, kPageSize, load + claim, limit, initrdAt)) {
      if (!(h.xloadflags & kXlfCanBeLoadedAbove4G) || !place.findLowest(len, kPageSize, k4GiB, ~uint64_t{0}, initrdAt))
        r.fail("no usable RAM for " + what + " between the kernel end " + hex(load + claim) + " and initrd_addr_max " +
               hex(h.initrdAddrMax) + ((h.xloadflags & kXlfCanBeLoadedAbove4G) ? " or above 4 GiB" : ""));
    }
    place.claimFixed(initrdAt, len, what);
    plan.copy(initrdAt, initrd);
  }

  ByteBuffer zp;
  zp.put8(kZeroPageSize - 1, 0);
  zp.putBytes(kSetupHeader, r.bytes(kSetupHeader, h.headerEnd - kSetupHeader, "setup header"));
  zp.put8(0x210, 0xff);  // type_of_loader: undefined
  zp.put32(0x214, static_cast<uint32_t>(load));  // code32_start
  zp.put32(0x218, static_cast<uint32_t>(initrdAt));
  zp.put32(0x21c, static_cast<uint32_t>(initrd.size()));
  zp.put32(0xc0, static_cast<uint32_t>(initrdAt >> 32));
  zp.put32(0xc4, static_cast<uint32_t>(uint64_t(initrd.size()) >> 32));
  zp.put32(0x228, static_cast<uint32_t>(cmdlineAt));
  zp.put32(0xc8, static_cast<uint32_t>(cmdlineAt >> 32));
  zp.put8(0x1e8, static_cast<uint8_t>(map.size()));
  for (size_t i = 0; i < map.size(); ++i) {
    uint64_t e = 0x2d0 + 20 * i;
    zp.put64(e, map[i].addr);
    zp.put64(e + 8, map[i].size);
    zp.put32(e + 16, static_cast<uint32_t>(map[i].type));
  }
  zp.putString(kZeroPageSize, req.cmdline);
  if (zp.size() != blockLen) throw InternalError("zero page block size mismatch");
  plan.copy(bp, zp.data());
  plan.commit(mem);

  LoadedImage out;
  out.placed = place.claimed();
  BootState boot;
  boot.mode = EntryMode::Protected;
  boot.entry = load;
  boot.registers = {{"esi", bp}, {"ebp", 0}, {"edi", 0}, {"ebx", 0}};
  out.boot = boot;
  if (image.decompressed) out.decompressed.push_back({req.path, image.fileBytes, image.bytes.size()});
  out.summary = "bzimage " + req.path + image.note() + ": protocol " + hex(h.version) + ", kernel " + hex(h.pmSize) + " bytes " +
                how + " " + hex(load) + ", boot_params at " + hex(bp) +
                (req.initrd ? ", initrd at " + hex(initrdAt) : std::string()) +
                (h.kernelInfo && h.kernelInfo->mleHeaderOffset
                     ? ", mle_header_offset " + hex(*h.kernelInfo->mleHeaderOffset)
                     : std::string());
  return out;
}

}  // namespace dlsim
