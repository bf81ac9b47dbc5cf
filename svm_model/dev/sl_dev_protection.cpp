#include "svm_model/dev/sl_dev_protection.h"

#include <algorithm>

#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim::svm {

namespace {

// A 64 KiB-aligned SLB that lies below 4 GiB (APM vol. 2 15.27.3).
bool isSlbBase(uint64_t base) { return base % kSlbSize == 0 && base + kSlbSize <= 0x100000000ull; }

constexpr uint32_t kStateTag = 0x534C4230;  // "SLB0"
constexpr uint8_t kStateVersion = 1;
}  // namespace

SlDevProtection::SlDevProtection(unsigned nodes) : enabled_(nodes, false) {
  if (nodes == 0 || nodes > 8) throw InternalError("SlDevProtection: node count must be 1..8");
}

void SlDevProtection::protectSlb(uint64_t base) {
  if (!isSlbBase(base))
    throw InternalError("SlDevProtection::protectSlb: base " + hex(base) + " is not a 64 KiB-aligned SLB below 4 GiB");
  base_ = base;
  std::fill(enabled_.begin(), enabled_.end(), true);
}

void SlDevProtection::release(unsigned node) {
  if (node >= enabled_.size() || !enabled_[node]) return;
  enabled_[node] = false;
  for (const auto& hook : releaseHooks_) hook(node);
}

void SlDevProtection::reset() {
  base_ = 0;
  std::fill(enabled_.begin(), enabled_.end(), false);
}

bool SlDevProtection::enabledOn(unsigned node) const { return node < enabled_.size() && enabled_[node]; }

bool SlDevProtection::active() const { return std::find(enabled_.begin(), enabled_.end(), true) != enabled_.end(); }

std::optional<uint64_t> SlDevProtection::slbBase() const {
  if (!active()) return std::nullopt;
  return base_;
}

bool SlDevProtection::covers(uint64_t gpa, uint64_t len) const {
  return active() && len > 0 && gpa < base_ + kSlbSize && base_ <= gpa + (len - 1);
}

bool SlDevProtection::allow(uint32_t, uint64_t gpa, uint64_t len, bool) { return !covers(gpa, len); }

std::optional<DmaRegion> SlDevProtection::regionOf(uint64_t gpa, uint64_t len) const {
  if (!covers(gpa, len)) return std::nullopt;
  return DmaRegion{"SLB (SL_DEV)", base_, kSlbSize};
}

std::vector<uint8_t> SlDevProtection::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u64(base_);
  w.u8(static_cast<uint8_t>(enabled_.size()));
  for (bool e : enabled_) w.flag(e);
  return w.take();
}

void SlDevProtection::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "SLB protection");
  r.expectHeader(kStateTag, kStateVersion);
  const uint64_t base = r.u64("slb base");
  if (!isSlbBase(base))
    r.fail("slb base", "not a 64 KiB-aligned SLB below 4 GiB");
  const uint8_t nodes = r.u8("node count");
  if (nodes != enabled_.size()) r.fail("node count", "snapshot has " + std::to_string(nodes) + " nodes, the machine " +
                                                      std::to_string(enabled_.size()));
  std::vector<bool> enabled;
  for (unsigned i = 0; i < nodes; ++i) enabled.push_back(r.flag("node enabled"));
  r.expectEnd();
  base_ = base;
  enabled_ = enabled;
}

}  // namespace dlsim::svm
