// gzip bytes made in the test with zlib's deflate (RFC 1952 wrapper), so the
// loaders' inflate is checked against the reference compressor.
#pragma once
#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dlsim::testimg {

// gzip of `data`; with `name`, the header carries it (FNAME, flag bit 3).
inline std::vector<uint8_t> gzipBytes(const std::vector<uint8_t>& data, const std::string& name = "") {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  gz_header h{};
  std::string n = name;
  if (!name.empty()) {
    h.name = reinterpret_cast<Bytef*>(n.data());
    deflateSetHeader(&zs, &h);
  }
  std::vector<uint8_t> out(deflateBound(&zs, data.size()) + 64 + name.size());
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace dlsim::testimg
