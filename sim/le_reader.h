// The one bounded little-endian reader over untrusted bytes (image files,
// boot structures, event logs). Every read names the field it reads; a read
// past the end throws InputError naming the source, the field and where,
// so malformed input never reads out of bounds and never sizes an
// allocation from an unchecked length.
//
// Two ways to read, each with the error wording its callers report:
// - at an offset (loaders: u8(off, field)...): "<source>: <field> (N bytes at
//   offset X) extends beyond the end of the file (size S)";
// - at a cursor that advances (event logs: u8(field)...): "<source>: offset
//   X: [<context> ]<field>: truncated: needs N bytes, M left", X counted from
//   `baseOffset`, the offset of data[0] in the source.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace dlsim {

class LeReader {
 public:
  LeReader(std::span<const uint8_t> data, std::string source, uint64_t baseOffset = 0)
      : data_(data), source_(std::move(source)), base_(baseOffset) {}

  uint64_t size() const { return data_.size(); }
  const std::string& source() const { return source_; }

  // ---- at an offset into data (does not move the cursor) ----
  uint8_t u8(uint64_t off, const std::string& field) const { return static_cast<uint8_t>(le(off, 1, field)); }
  uint16_t u16(uint64_t off, const std::string& field) const { return static_cast<uint16_t>(le(off, 2, field)); }
  uint32_t u32(uint64_t off, const std::string& field) const { return static_cast<uint32_t>(le(off, 4, field)); }
  uint64_t u64(uint64_t off, const std::string& field) const { return le(off, 8, field); }
  std::span<const uint8_t> bytes(uint64_t off, uint64_t len, const std::string& field) const;
  bool has(uint64_t off, uint64_t len) const { return off <= data_.size() && len <= data_.size() - off; }

  // Throws InputError "<source>: <what>".
  [[noreturn]] void fail(const std::string& what) const;

  // ---- at the cursor, which each read advances ----
  // Text put in front of field names in cursor messages, e.g. "event 3".
  void setContext(std::string context) { context_ = std::move(context); }

  uint8_t u8(const char* field) { return static_cast<uint8_t>(next(1, field)); }
  uint16_t u16(const char* field) { return static_cast<uint16_t>(next(2, field)); }
  uint32_t u32(const char* field) { return static_cast<uint32_t>(next(4, field)); }
  uint64_t u64(const char* field) { return next(8, field); }
  // A view of the next n bytes (no copy; n is checked against what is left).
  std::span<const uint8_t> bytes(size_t n, const char* field);

  size_t position() const { return pos_; }
  uint64_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }

  // Throws InputError "<source>: offset 0x..: [<context> ]<field>: <what>".
  [[noreturn]] void fail(uint64_t offset, const std::string& field, const std::string& what) const;

 private:
  uint64_t le(uint64_t off, unsigned len, const std::string& field) const;
  void need(size_t n, const char* field) const;
  uint64_t next(unsigned len, const char* field);

  std::span<const uint8_t> data_;
  std::string source_;
  uint64_t base_;
  size_t pos_ = 0;
  std::string context_;
};

}  // namespace dlsim
