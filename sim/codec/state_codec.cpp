// Snapshot byte encoding shared by the device models and the TPM (see
// state_codec.h).
#include "sim/codec/state_codec.h"

#include <cstdio>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

void StateWriter::u16(uint16_t v) {
  for (int i = 0; i < 2; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void StateWriter::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void StateWriter::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void StateWriter::bytes(std::span<const uint8_t> b) {
  u64(b.size());
  out_.insert(out_.end(), b.begin(), b.end());
}

void StateWriter::str(const std::string& s) {
  bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

void StateReader::fail(const char* field, const std::string& problem) const {
  throw InputError(what_ + " snapshot: field " + field + ": " + problem);
}

void StateReader::need(uint64_t n, const char* field) const {
  if (n > in_.size() - pos_) {
    fail(field, "truncated (needs " + std::to_string(n) + " bytes at offset " + std::to_string(pos_) +
                    ", snapshot has " + std::to_string(in_.size()) + ")");
  }
}

uint8_t StateReader::u8(const char* field) {
  need(1, field);
  return in_[pos_++];
}

uint16_t StateReader::u16(const char* field) {
  need(2, field);
  const uint16_t v = static_cast<uint16_t>(in_[pos_] | (in_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}

uint32_t StateReader::u32(const char* field) {
  need(4, field);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(in_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return v;
}

uint64_t StateReader::u64(const char* field) {
  need(8, field);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(in_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return v;
}

bool StateReader::flag(const char* field) {
  const uint8_t v = u8(field);
  if (v > 1) fail(field, "is " + std::to_string(v) + ", not 0 or 1");
  return v != 0;
}

uint64_t StateReader::bounded(const char* field, uint64_t maxValue) {
  const uint64_t v = u64(field);
  if (v > maxValue) fail(field, "is " + std::to_string(v) + ", more than " + std::to_string(maxValue));
  return v;
}

std::vector<uint8_t> StateReader::bytes(const char* field, uint64_t maxLen) {
  const uint64_t n = u64(field);
  if (n > maxLen) fail(field, "length " + std::to_string(n) + " exceeds limit " + std::to_string(maxLen));
  need(n, field);
  std::vector<uint8_t> v(in_.begin() + static_cast<std::ptrdiff_t>(pos_),
                         in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
  pos_ += n;
  return v;
}

std::string StateReader::str(const char* field, uint64_t maxLen) {
  std::vector<uint8_t> b = bytes(field, maxLen);
  return std::string(b.begin(), b.end());
}

void StateReader::expectHeader(uint32_t tag, uint8_t version) {
  const uint32_t t = u32("tag");
  if (t != tag) fail("tag", "is " + hex(t) + ", expected " + hex(tag) + " (snapshot of another device?)");
  const uint8_t v = u8("version");
  if (v != version) fail("version", "is " + std::to_string(v) + ", expected " + std::to_string(version));
}

void StateReader::expectEnd() {
  if (pos_ != in_.size()) fail("end", std::to_string(in_.size() - pos_) + " unexpected trailing bytes");
}

}  // namespace dlsim
