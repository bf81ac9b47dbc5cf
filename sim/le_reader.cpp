// Bounds checks and the error wording of the little-endian reader (see le_reader.h).
#include "sim/le_reader.h"

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
uint64_t littleEndian(std::span<const uint8_t> b) {
  uint64_t v = 0;
  for (size_t i = b.size(); i-- > 0;) v = (v << 8) | b[i];
  return v;
}
}  // namespace

void LeReader::fail(const std::string& what) const { throw InputError(source_ + ": " + what); }

std::span<const uint8_t> LeReader::bytes(uint64_t off, uint64_t len, const std::string& field) const {
  if (!has(off, len))
    fail(field + " (" + hex(len) + " bytes at offset " + hex(off) + ") extends beyond the end of the file (size " +
         hex(data_.size()) + ")");
  return data_.subspan(off, len);
}

uint64_t LeReader::le(uint64_t off, unsigned len, const std::string& field) const {
  return littleEndian(bytes(off, len, field));
}

void LeReader::fail(uint64_t offset, const std::string& field, const std::string& what) const {
  std::string where = context_.empty() ? field : context_ + " " + field;
  throw InputError(source_ + ": offset " + hex(offset) + ": " + where + ": " + what);
}

void LeReader::need(size_t n, const char* field) const {
  if (n > remaining())
    fail(offset(), field,
         "truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
}

std::span<const uint8_t> LeReader::bytes(size_t n, const char* field) {
  need(n, field);
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

uint64_t LeReader::next(unsigned len, const char* field) { return littleEndian(bytes(size_t{len}, field)); }

}  // namespace dlsim
