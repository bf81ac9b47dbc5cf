// Image bytes as GRUB reads them: gzip'd files inflated with zlib (see
// image_bytes.h).
#include "sim/loaders/image_bytes.h"

#include <zlib.h>

#include <algorithm>
#include <new>

#include "sim/errors.h"
#include "sim/host_probe.h"
#include "sim/loaders/byte_io.h"

namespace dlsim {

namespace {

// zlib's own words for a return code and its message, if any.
std::string zlibSaid(int ret, const z_stream& zs) {
  std::string out = std::string("zlib: ") + zError(ret);
  if (zs.msg) out += std::string(": ") + zs.msg;
  return out;
}

// Ends the inflate state however the function leaves.
struct InflateGuard {
  z_stream* zs;
  ~InflateGuard() { inflateEnd(zs); }
};

constexpr uint64_t kOutChunk = 1 << 20;   // output grows by at most this much at a time
constexpr uint64_t kInChunk = 1u << 30;   // avail_in is 32 bits
constexpr uint64_t kMaxLimit = 1ull << 46;  // guest RAM ends below 2^46 (GuestMemory::addRam)

}  // namespace

bool hasGzipMagic(std::span<const uint8_t> data) { return data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

std::vector<uint8_t> gunzip(std::span<const uint8_t> data, uint64_t limit, const std::string& source) {
  const std::string where = source + ": gzip: ";
  limit = std::min(limit, kMaxLimit);
  if (!hasGzipMagic(data)) throw InputError(where + "no gzip magic (1f 8b) at the start");
  HostProbeScope probe("build", "gunzip");
  z_stream zs{};
  // 16 + 15: a gzip wrapper only (no zlib or raw deflate), the largest window.
  const int init = inflateInit2(&zs, 16 + MAX_WBITS);
  if (init == Z_MEM_ERROR) throw std::bad_alloc();
  if (init != Z_OK) throw InternalError(where + "inflateInit2 failed: " + zlibSaid(init, zs));
  InflateGuard guard{&zs};

  const std::string bomb = where + "decompresses to more than " + std::to_string(limit) +
                           " bytes, the limit (the guest's RAM size: an image larger could never be placed)";
  std::vector<uint8_t> out;
  // The trailer's ISIZE (the size mod 2^32, RFC 1952 section 2.3.1) as a
  // capacity hint, so the output is not copied as it grows: only a hint
  // (the stream decides), bounded by the limit and by deflate's largest
  // ratio (about 1032:1, RFC 1951's longest match per bit).
  if (data.size() >= 18) {
    const size_t t = data.size() - 4;
    const uint64_t isize = uint64_t(data[t]) | uint64_t(data[t + 1]) << 8 | uint64_t(data[t + 2]) << 16 |
                           uint64_t(data[t + 3]) << 24;
    out.reserve(std::min({isize, limit + 1, uint64_t(data.size()) * 1032}));
  }
  uint64_t consumed = 0;  // input handed to zlib so far
  for (;;) {
    if (zs.avail_in == 0 && consumed < data.size()) {
      const uint64_t n = std::min<uint64_t>(data.size() - consumed, kInChunk);
      zs.next_in = const_cast<Bytef*>(data.data() + consumed);
      zs.avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    // Room for one byte more than the limit, so a stream over it is refused
    // as soon as it gets there, not at its end.
    if (out.size() > limit) throw InputError(bomb);
    const uint64_t room = std::min<uint64_t>(kOutChunk, limit + 1 - out.size());
    const size_t before = out.size();
    out.resize(before + room);
    zs.next_out = out.data() + before;
    zs.avail_out = static_cast<uInt>(room);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    out.resize(before + (room - zs.avail_out));
    if (ret == Z_STREAM_END) break;
    if (ret == Z_OK) continue;
    if (ret == Z_MEM_ERROR) throw std::bad_alloc();
    if (ret == Z_BUF_ERROR) {
      // No progress possible: with room to write, the input ran out.
      if (zs.avail_out == 0) continue;
      if (zs.avail_in == 0 && consumed == data.size())
        throw InputError(where + "truncated: the stream ends after " + std::to_string(data.size()) +
                         " bytes, before its end and trailer (" + zlibSaid(ret, zs) + ")");
      throw InternalError(where + "inflate made no progress with input and room left (" + zlibSaid(ret, zs) + ")");
    }
    throw InputError(where + "corrupt stream at or before input offset " + std::to_string(consumed - zs.avail_in) +
                     " (" + zlibSaid(ret, zs) + ")");
  }
  if (out.size() > limit) throw InputError(bomb);
  const uint64_t used = consumed - zs.avail_in;
  if (used != data.size())
    throw InputError(where + std::to_string(data.size() - used) + " bytes follow the gzip member that ends at offset " +
                     std::to_string(used) + " (GRUB reads one member; multi-member files are not supported)");
  return out;
}

std::string ImageBytes::note() const {
  if (!decompressed) return {};
  return " (gzip, " + std::to_string(fileBytes) + " -> " + std::to_string(bytes.size()) + " bytes)";
}

ImageBytes readImageBytes(const std::string& path, uint64_t limit, GzipMode mode) {
  ImageBytes out;
  out.bytes = readImageFile(path);
  out.fileBytes = out.bytes.size();
  if (mode == GzipMode::Decompress && hasGzipMagic(out.bytes)) {
    out.bytes = gunzip(out.bytes, limit, path);
    out.decompressed = true;
  }
  return out;
}

uint64_t decompressLimit(const GuestMemory& mem) {
  uint64_t total = 0;
  for (const RamRegion& r : mem.regions()) total += r.size;
  return total;
}

}  // namespace dlsim
