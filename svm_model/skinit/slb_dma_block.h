// The SLB protection of a platform with no northbridge model: a DmaProtection
// on ModelHost::dma() that, once SKINIT protected an SLB, refuses every
// requester's read and write touching [base, base + 64 KiB). Nothing releases
// it but a platform reset (the release register is the northbridge's).
#pragma once
#include <optional>

#include "sim/dma_port.h"
#include "svm_model/skinit/slb_protection.h"

namespace dlsim::svm {

class SlbDmaBlock final : public SlbProtection, public DmaProtection {
 public:
  void protectSlb(uint64_t base) override { base_ = base; }
  void reset() { base_.reset(); }
  std::optional<uint64_t> protectedBase() const { return base_; }
  void restore(std::optional<uint64_t> base) { base_ = base; }

  std::string name() const override { return "svm-slb"; }
  bool allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) override;
  std::optional<DmaRegion> regionOf(uint64_t gpa, uint64_t len) const override;

 private:
  bool overlaps(uint64_t gpa, uint64_t len) const;
  std::optional<uint64_t> base_;
};

}  // namespace dlsim::svm
