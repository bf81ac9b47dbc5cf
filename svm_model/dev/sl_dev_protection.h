// SKINIT's protection of the Secure Loader Block: SKINIT protects the 64 KiB
// SLB at its (64 KiB-aligned, below 4 GiB) base against *any* device access
// (APM vol. 2 15.27.6 step 2), the IOMMU's own table and command reads
// included (SKL's iommu.c works around exactly that). Software ends it per
// node: on DEV parts (family 10h-16h) by clearing DEV_CR.SL_DEV_EN in
// D18F3's DEV capability, on family 17h+ by clearing MEMPROT_CR.MEMPROT_EN
// (D18F0 0x384 bit 0); the northbridge functions call release(node) then.
//
// With several nodes the SLB stays protected while any node still has its
// bit set (the APM's abort path clears SL_DEV_EN on every memory
// controller). Only SKINIT sets the bits: a software write of 1 to a clear
// bit is not modelled as re-arming (no public source says it does).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/dma_port.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {

class SlDevProtection : public DmaProtection {
 public:

  explicit SlDevProtection(unsigned nodes = 1);
  std::string name() const override { return "amd-slb"; }
  bool allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) override;
  // "SLB (SL_DEV)" with the 64 KiB range.
  std::optional<DmaRegion> regionOf(uint64_t gpa, uint64_t len) const override;

  // SKINIT: protect [base, base + 64 KiB) on every node. `base` must be
  // 64 KiB aligned and below 4 GiB (SKINIT has already cleared EAX[15:0]);
  // anything else is an InternalError (a bug in the caller).
  void protectSlb(uint64_t base);
  // Software cleared the node's SL_DEV_EN / MEMPROT_EN.
  void release(unsigned node);
  // Told after a node that held the protection released it (launch rules:
  // "SL_DEV released before the IOMMU protects the SLB").
  void onRelease(std::function<void(unsigned node)> hook) { releaseHooks_.push_back(std::move(hook)); }
  // Platform reset: no protection (SKINIT arms it again).
  void reset();
  bool enabledOn(unsigned node) const;
  bool active() const;
  // The SLB base while protected.
  std::optional<uint64_t> slbBase() const;
  // The base SKINIT last armed (also after the release).
  uint64_t lastBase() const { return base_; }
  unsigned nodes() const { return static_cast<unsigned>(enabled_.size()); }

  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> state);

 private:
  bool covers(uint64_t gpa, uint64_t len) const;
  uint64_t base_ = 0;
  std::vector<bool> enabled_;
  std::vector<std::function<void(unsigned)>> releaseHooks_;
};

}  // namespace dlsim::svm
