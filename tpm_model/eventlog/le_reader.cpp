// Little-endian bounded reads with InputError messages that locate the byte.
#include "tpm_model/eventlog/le_reader.h"

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim::tpm::evlog {

void LeReader::fail(uint64_t offset, const std::string& field, const std::string& what) const {
  std::string where = context_.empty() ? field : context_ + " " + field;
  throw InputError(source_ + ": offset " + dlsim::hex(offset) + ": " + where + ": " + what);
}

void LeReader::need(size_t n, const char* field) const {
  if (n > remaining())
    fail(offset(), field,
         "truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
}

uint8_t LeReader::u8(const char* field) {
  need(1, field);
  return data_[pos_++];
}

uint16_t LeReader::u16(const char* field) {
  need(2, field);
  uint16_t v = static_cast<uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}

uint32_t LeReader::u32(const char* field) {
  need(4, field);
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | data_[pos_ + i];
  pos_ += 4;
  return v;
}

uint64_t LeReader::u64(const char* field) {
  need(8, field);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | data_[pos_ + i];
  pos_ += 8;
  return v;
}

std::span<const uint8_t> LeReader::bytes(size_t n, const char* field) {
  need(n, field);
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

}  // namespace dlsim::tpm::evlog
