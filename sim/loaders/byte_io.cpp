// Reading image files and the little-endian builder (see byte_io.h).
#include "sim/loaders/byte_io.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "sim/errors.h"

namespace dlsim {

std::vector<uint8_t> readImageFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path + ": image file does not exist or is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open image file: " + std::strerror(errno));
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  return data;
}

void ByteBuffer::put(uint64_t off, uint64_t v, unsigned len) {
  if (data_.size() < off + len) data_.resize(off + len, 0);
  for (unsigned i = 0; i < len; ++i) data_[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

void ByteBuffer::putBytes(uint64_t off, std::span<const uint8_t> b) {
  if (data_.size() < off + b.size()) data_.resize(off + b.size(), 0);
  if (!b.empty()) std::memcpy(data_.data() + off, b.data(), b.size());
}

void ByteBuffer::putString(uint64_t off, const std::string& s) {
  putBytes(off, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  put8(off + s.size(), 0);
}

void ByteBuffer::alignTo(uint64_t align) { data_.resize(alignUp(data_.size(), align), 0); }

}  // namespace dlsim
