// Implementation of the TPM interfaces' snapshot byte encoding.
#include "tpm_model/interface/snapshot_codec.h"

#include "sim/errors.h"

namespace dlsim::tpm {

void SnapshotWriter::u16(uint16_t v) {
  for (int i = 0; i < 2; ++i) out_.push_back(uint8_t(v >> (8 * i)));
}
void SnapshotWriter::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(uint8_t(v >> (8 * i)));
}
void SnapshotWriter::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(uint8_t(v >> (8 * i)));
}
void SnapshotWriter::bytes(std::span<const uint8_t> b) {
  u64(b.size());
  out_.insert(out_.end(), b.begin(), b.end());
}

void SnapshotReader::fail(const char* field, const std::string& problem) const {
  throw InputError(what_ + " snapshot: field " + field + ": " + problem);
}

void SnapshotReader::need(uint64_t n, const char* field) const {
  if (n > in_.size() - pos_)
    fail(field, "snapshot ends early (needs " + std::to_string(n) + " bytes at offset " + std::to_string(pos_) +
                    ", " + std::to_string(in_.size() - pos_) + " left)");
}

uint8_t SnapshotReader::u8(const char* field) {
  need(1, field);
  return in_[pos_++];
}
uint16_t SnapshotReader::u16(const char* field) {
  need(2, field);
  uint16_t v = uint16_t(in_[pos_] | (in_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}
uint32_t SnapshotReader::u32(const char* field) {
  need(4, field);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(in_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return v;
}
uint64_t SnapshotReader::u64(const char* field) {
  need(8, field);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(in_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return v;
}
bool SnapshotReader::flag(const char* field) {
  uint8_t v = u8(field);
  if (v > 1) fail(field, "value " + std::to_string(v) + " is not 0 or 1");
  return v != 0;
}
uint64_t SnapshotReader::bounded(const char* field, uint64_t maxValue) {
  uint64_t v = u64(field);
  if (v > maxValue) fail(field, "value " + std::to_string(v) + " exceeds " + std::to_string(maxValue));
  return v;
}
std::vector<uint8_t> SnapshotReader::bytes(const char* field, uint64_t maxLen) {
  uint64_t n = u64(field);
  if (n > maxLen) fail(field, "length " + std::to_string(n) + " exceeds " + std::to_string(maxLen));
  need(n, field);
  std::vector<uint8_t> b(in_.begin() + long(pos_), in_.begin() + long(pos_ + n));
  pos_ += n;
  return b;
}
void SnapshotReader::expectHeader(uint32_t tag, uint8_t version) {
  uint32_t t = u32("tag");
  if (t != tag) fail("tag", "snapshot belongs to another device (tag " + std::to_string(t) + ")");
  uint8_t v = u8("version");
  if (v != version) fail("version", "unsupported layout version " + std::to_string(v));
}
void SnapshotReader::expectEnd() {
  if (pos_ != in_.size()) fail("end", std::to_string(in_.size() - pos_) + " unexpected trailing bytes");
}

}  // namespace dlsim::tpm
