// Byte encoding for the TPM interfaces' machine snapshots (saveState /
// restoreState): little-endian fixed-width fields in a fixed order behind a
// tag and version. The TPM library (dlsim_tpm) does not link the platform
// library, so it cannot use sim/devices/state_codec; this is its own small
// equivalent with the same error style: a short or malformed snapshot throws
// InputError naming the device and the field.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim::tpm {

class SnapshotWriter {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void flag(bool v) { u8(v ? 1 : 0); }
  // u64 length, then the bytes.
  void bytes(std::span<const uint8_t> b);
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

class SnapshotReader {
 public:
  SnapshotReader(std::span<const uint8_t> in, std::string what) : in_(in), what_(std::move(what)) {}
  uint8_t u8(const char* field);
  uint16_t u16(const char* field);
  uint32_t u32(const char* field);
  uint64_t u64(const char* field);
  bool flag(const char* field);
  // A value that must be <= maxValue.
  uint64_t bounded(const char* field, uint64_t maxValue);
  std::vector<uint8_t> bytes(const char* field, uint64_t maxLen);
  void expectHeader(uint32_t tag, uint8_t version);
  void expectEnd();
  [[noreturn]] void fail(const char* field, const std::string& problem) const;

 private:
  void need(uint64_t n, const char* field) const;
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  std::string what_;
};

}  // namespace dlsim::tpm
