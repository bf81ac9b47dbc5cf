// Bounds-checked reader and writer for the TPM 2.0 wire format (big-endian
// integers, TPM2B size-prefixed buffers). A short read throws
// TpmError(TPM_RC_INSUFFICIENT) and an oversized TPM2B TpmError(TPM_RC_SIZE);
// the dispatcher adds the handle/parameter/session position.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "tpm_model/tpm_rc.h"

namespace dlsim::tpm {

class WireReader {
 public:
  explicit WireReader(std::span<const uint8_t> data) : data_(data) {}
  // The reader only views its input: a temporary would dangle.
  explicit WireReader(std::vector<uint8_t>&&) = delete;
  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  std::vector<uint8_t> bytes(size_t n);
  // TPM2B: u16 size (<= maxSize, else TPM_RC_SIZE) then that many bytes.
  std::vector<uint8_t> tpm2b(size_t maxSize);
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  void need(size_t n) const;
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

class WireWriter {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v);
  void u32(uint32_t v);
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void tpm2b(std::span<const uint8_t> b);
  // Overwrites 4 bytes at `at` (a size field written earlier as a placeholder).
  void patch32(size_t at, uint32_t v);
  size_t size() const { return out_.size(); }
  std::vector<uint8_t>& data() { return out_; }

 private:
  std::vector<uint8_t> out_;
};

}  // namespace dlsim::tpm
