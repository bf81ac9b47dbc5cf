// Byte encoding for snapshots of device and TPM state (saveState /
// restoreState): little-endian fixed-width fields written in a fixed order;
// each snapshot starts with a tag and a version so a snapshot of the wrong
// device or an old layout is refused. A snapshot may come from a file
// (field-bug replay), so reading a short or malformed one throws InputError
// naming the device and the field instead of reading past the end.
//
// Its own small library (dlsim_state_codec, no dependencies) because both
// the platform library and the TPM library, which does not link the
// platform, use it.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

class StateWriter {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void flag(bool v) { u8(v ? 1 : 0); }
  // Length (u64) followed by the bytes.
  void bytes(std::span<const uint8_t> b);
  void str(const std::string& s);
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

class StateReader {
 public:
  // `what` names the device in error messages ("uart com1").
  StateReader(std::span<const uint8_t> in, std::string what) : in_(in), what_(std::move(what)) {}
  uint8_t u8(const char* field);
  uint16_t u16(const char* field);
  uint32_t u32(const char* field);
  uint64_t u64(const char* field);
  // A u8 that must be 0 or 1.
  bool flag(const char* field);
  // A u64 that must be <= maxValue.
  uint64_t bounded(const char* field, uint64_t maxValue);
  std::vector<uint8_t> bytes(const char* field, uint64_t maxLen);
  std::string str(const char* field, uint64_t maxLen);
  // Checks tag and version written by the matching writer.
  void expectHeader(uint32_t tag, uint8_t version);
  // Throws when bytes are left over.
  void expectEnd();
  // Throws InputError "<what> snapshot: field <field>: <problem>".
  [[noreturn]] void fail(const char* field, const std::string& problem) const;

 private:
  void need(uint64_t n, const char* field) const;
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  std::string what_;
};

}  // namespace dlsim
