// Bounds-checked little-endian access to image files and to the boot
// structures loaders build. Every loader reads through ByteReader, so a
// truncated or lying image becomes an InputError naming the file and the
// field instead of a read past the buffer.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

// Reads a whole file. Throws InputError naming the path when it cannot.
std::vector<uint8_t> readImageFile(const std::string& path);

class ByteReader {
 public:
  ByteReader(std::span<const uint8_t> data, std::string file) : data_(data), file_(std::move(file)) {}

  uint64_t size() const { return data_.size(); }
  const std::string& file() const { return file_; }

  // `field` names what is read, for the error message.
  uint8_t u8(uint64_t off, const std::string& field) const { return static_cast<uint8_t>(le(off, 1, field)); }
  uint16_t u16(uint64_t off, const std::string& field) const { return static_cast<uint16_t>(le(off, 2, field)); }
  uint32_t u32(uint64_t off, const std::string& field) const { return static_cast<uint32_t>(le(off, 4, field)); }
  uint64_t u64(uint64_t off, const std::string& field) const { return le(off, 8, field); }
  std::span<const uint8_t> bytes(uint64_t off, uint64_t len, const std::string& field) const;
  bool has(uint64_t off, uint64_t len) const { return off <= data_.size() && len <= data_.size() - off; }

  // Throws InputError "<file>: <what>".
  [[noreturn]] void fail(const std::string& what) const;

 private:
  uint64_t le(uint64_t off, unsigned len, const std::string& field) const;
  std::span<const uint8_t> data_;
  std::string file_;
};

// A growable little-endian byte buffer for building boot structures.
class ByteBuffer {
 public:
  std::vector<uint8_t>& data() { return data_; }
  const std::vector<uint8_t>& data() const { return data_; }
  uint64_t size() const { return data_.size(); }

  void put8(uint64_t off, uint8_t v) { put(off, v, 1); }
  void put16(uint64_t off, uint16_t v) { put(off, v, 2); }
  void put32(uint64_t off, uint32_t v) { put(off, v, 4); }
  void put64(uint64_t off, uint64_t v) { put(off, v, 8); }
  void putBytes(uint64_t off, std::span<const uint8_t> b);
  // Writes s and a terminating NUL.
  void putString(uint64_t off, const std::string& s);
  // Pads with zero bytes up to a multiple of `align`.
  void alignTo(uint64_t align);

 private:
  void put(uint64_t off, uint64_t v, unsigned len);
  std::vector<uint8_t> data_;
};

inline uint64_t alignUp(uint64_t v, uint64_t align) { return (v + align - 1) / align * align; }

}  // namespace dlsim
