// The bytes a loader places for a file, as GRUB reads them: GRUB opens
// kernels and modules through its decompression filter (grub-core/io/gzio.c),
// so a gzip'd file (magic 1f 8b) is loaded as its decompressed bytes. The
// Multiboot `module`/`module2` commands keep a module's file bytes with
// `--nounzip` (GRUB_FILE_TYPE_NO_DECOMPRESS, grub-core/loader/multiboot.c),
// and GRUB's `initrd` never decompresses (grub-core/loader/linux.c): the
// kernel unpacks its initramfs itself.
//
// Decompression is zlib's inflate (no inflate of our own) and is bounded: a
// stream that would grow past `limit` bytes is refused as it grows, so a
// gzip bomb costs at most `limit` bytes of host memory. Loaders pass the
// guest's RAM size (decompressLimit): an image larger than all of guest RAM
// could never be placed anyway.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/guest_memory.h"

namespace dlsim {

// True when `data` starts with the gzip magic 1f 8b (RFC 1952 section 2.3.1).
bool hasGzipMagic(std::span<const uint8_t> data);

// Inflates one gzip member (RFC 1952) of `data` with zlib, checking its
// CRC-32 and length trailer. Throws InputError "<source>: gzip: <what>" for a
// corrupt or truncated stream (with what zlib said), for output that would
// exceed `limit` bytes, and for bytes after the member (GRUB reads one
// member; multi-member files are refused rather than half read).
std::vector<uint8_t> gunzip(std::span<const uint8_t> data, uint64_t limit, const std::string& source);

// Whether a gzip'd file is decompressed (GRUB's default) or kept as is
// (`--nounzip`, initrd).
enum class GzipMode { Decompress, Keep };

struct ImageBytes {
  std::vector<uint8_t> bytes;  // what the loader places
  uint64_t fileBytes = 0;      // the file's size
  bool decompressed = false;   // bytes are the file's gzip stream, inflated
  // "" or " (gzip, N -> M bytes)" for summary lines.
  std::string note() const;
};

// Reads the file (InputError naming it when it cannot) and, in Decompress
// mode, inflates it when it starts with the gzip magic.
ImageBytes readImageBytes(const std::string& path, uint64_t limit, GzipMode mode = GzipMode::Decompress);

// The decompressed-size limit loaders use: the guest's RAM in bytes.
uint64_t decompressLimit(const GuestMemory& mem);

}  // namespace dlsim
