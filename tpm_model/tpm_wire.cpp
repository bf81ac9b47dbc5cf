// TPM 2.0 wire reader/writer (see tpm_wire.h).
#include "tpm_model/tpm_wire.h"

#include "sim/errors.h"

namespace dlsim::tpm {

void WireReader::need(size_t n) const {
  if (n > remaining()) throw TpmError(rc::kInsufficient);
}

uint8_t WireReader::u8() {
  need(1);
  return data_[pos_++];
}

uint16_t WireReader::u16() {
  need(2);
  uint16_t v = uint16_t((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

uint32_t WireReader::u32() {
  need(4);
  uint32_t v = (uint32_t(data_[pos_]) << 24) | (uint32_t(data_[pos_ + 1]) << 16) |
               (uint32_t(data_[pos_ + 2]) << 8) | uint32_t(data_[pos_ + 3]);
  pos_ += 4;
  return v;
}

std::vector<uint8_t> WireReader::bytes(size_t n) {
  need(n);
  std::vector<uint8_t> v(data_.begin() + pos_, data_.begin() + pos_ + n);
  pos_ += n;
  return v;
}

std::vector<uint8_t> WireReader::tpm2b(size_t maxSize) {
  uint16_t n = u16();
  if (n > maxSize) throw TpmError(rc::kSize);
  return bytes(n);
}

void WireWriter::u16(uint16_t v) {
  out_.push_back(uint8_t(v >> 8));
  out_.push_back(uint8_t(v));
}

void WireWriter::u32(uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out_.push_back(uint8_t(v >> s));
}

void WireWriter::tpm2b(std::span<const uint8_t> b) {
  if (b.size() > 0xFFFF) throw InternalError("tpm: TPM2B longer than 65535 bytes");
  u16(uint16_t(b.size()));
  bytes(b);
}

void WireWriter::patch32(size_t at, uint32_t v) {
  if (at + 4 > out_.size()) throw InternalError("tpm: patch32 outside the response");
  for (int i = 0; i < 4; ++i) out_[at + i] = uint8_t(v >> (24 - 8 * i));
}

}  // namespace dlsim::tpm
