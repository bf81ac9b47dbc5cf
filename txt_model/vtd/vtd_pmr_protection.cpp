#include "txt_model/vtd/vtd_pmr_protection.h"

namespace dlsim::txt {

namespace {

// [gpa, gpa + len) and the inclusive range r share a byte.
bool touches(const std::optional<VtdPmrRange>& r, uint64_t gpa, uint64_t len) {
  return r && len > 0 && gpa <= r->limit && r->base <= gpa + (len - 1);
}

}  // namespace

bool VtdPmrProtection::allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool) {
  if (!unit_.inScope(requesterId)) return true;
  return !touches(unit_.lowRegion(), gpa, len) && !touches(unit_.highRegion(), gpa, len);
}

std::optional<DmaRegion> VtdPmrProtection::regionOf(uint64_t gpa, uint64_t len) const {
  for (const auto& [name, r] : {std::pair{"PLMR", unit_.lowRegion()}, std::pair{"PHMR", unit_.highRegion()}})
    if (touches(r, gpa, len)) return DmaRegion{name, r->base, r->limit - r->base + 1};
  return std::nullopt;
}

}  // namespace dlsim::txt
