// Read access to guest-physical memory as SINIT has it (processor reads,
// not DMA), behind a small interface so the MLE walk and hash run on guest
// RAM in the model and on plain buffers in tests and fuzz targets.
#pragma once
#include <cstdint>
#include <cstring>
#include <span>

#include "sim/guest_memory.h"

namespace dlsim::txt::mle {

class PhysReader {
 public:
  virtual ~PhysReader() = default;
  // Copies [gpa, gpa + out.size()) into out; false (out unspecified) when
  // any byte is not readable memory.
  virtual bool read(uint64_t gpa, std::span<uint8_t> out) const = 0;
};

// A buffer that sits at guest-physical `base`.
class BufferPhysReader final : public PhysReader {
 public:
  BufferPhysReader(uint64_t base, std::span<const uint8_t> bytes) : base_(base), bytes_(bytes) {}
  bool read(uint64_t gpa, std::span<uint8_t> out) const override {
    if (gpa < base_ || gpa - base_ > bytes_.size() || out.size() > bytes_.size() - (gpa - base_)) return false;
    if (!out.empty()) std::memcpy(out.data(), bytes_.data() + (gpa - base_), out.size());
    return true;
  }

 private:
  uint64_t base_;
  std::span<const uint8_t> bytes_;
};

// Guest RAM.
class GuestMemoryPhysReader final : public PhysReader {
 public:
  explicit GuestMemoryPhysReader(const GuestMemory& mem) : mem_(mem) {}
  bool read(uint64_t gpa, std::span<uint8_t> out) const override { return mem_.read(gpa, out.data(), out.size()); }

 private:
  const GuestMemory& mem_;
};

}  // namespace dlsim::txt::mle
