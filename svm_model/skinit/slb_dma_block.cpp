#include "svm_model/skinit/slb_dma_block.h"

namespace dlsim::svm {

bool SlbDmaBlock::overlaps(uint64_t gpa, uint64_t len) const {
  if (!base_ || len == 0) return false;
  // [gpa, gpa + len) meets [base, base + 64 KiB); gpa + len may wrap.
  const uint64_t last = gpa + (len - 1);
  if (last < gpa) return *base_ + kSlbSize > gpa;  // wraps: reaches the top of the address space
  return gpa < *base_ + kSlbSize && last >= *base_;
}

bool SlbDmaBlock::allow(uint32_t, uint64_t gpa, uint64_t len, bool) { return !overlaps(gpa, len); }

std::optional<DmaRegion> SlbDmaBlock::regionOf(uint64_t gpa, uint64_t len) const {
  if (!overlaps(gpa, len)) return std::nullopt;
  return DmaRegion{"SLB (SKINIT)", *base_, kSlbSize};
}

}  // namespace dlsim::svm
