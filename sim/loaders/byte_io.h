// Image files and the boot structures loaders build. Every loader reads
// through LeReader (sim/le_reader.h), so a truncated or lying image becomes
// an InputError naming the file and the field instead of a read past the
// buffer; ByteBuffer builds little-endian boot structures.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/le_reader.h"

namespace dlsim {

// Reads a whole file. Throws InputError naming the path when it cannot.
std::vector<uint8_t> readImageFile(const std::string& path);

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
