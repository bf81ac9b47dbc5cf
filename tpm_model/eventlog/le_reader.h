// Bounds-checked little-endian reader for event-log bytes. Every read names
// the field it reads; running short throws InputError naming the source, the
// absolute byte offset and the field, so a malformed log never reads out of
// bounds and never sizes an allocation from an unchecked length.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace dlsim::tpm::evlog {

class LeReader {
 public:
  // `baseOffset` is the offset of data[0] in the source (file or buffer), used in messages.
  LeReader(std::span<const uint8_t> data, std::string source, uint64_t baseOffset = 0)
      : data_(data), source_(std::move(source)), base_(baseOffset) {}

  // Text put in front of field names in messages, e.g. "event 3".
  void setContext(std::string context) { context_ = std::move(context); }

  uint8_t u8(const char* field);
  uint16_t u16(const char* field);
  uint32_t u32(const char* field);
  uint64_t u64(const char* field);
  // A view of the next n bytes (no copy; n is checked against what is left).
  std::span<const uint8_t> bytes(size_t n, const char* field);

  size_t position() const { return pos_; }
  uint64_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  const std::string& source() const { return source_; }

  // Throws InputError "<source>: offset 0x..: <context> <field>: <what>".
  [[noreturn]] void fail(uint64_t offset, const std::string& field, const std::string& what) const;

 private:
  void need(size_t n, const char* field) const;
  std::span<const uint8_t> data_;
  std::string source_;
  uint64_t base_;
  size_t pos_ = 0;
  std::string context_;
};


}  // namespace dlsim::tpm::evlog
