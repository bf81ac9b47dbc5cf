#include "txt_model/vtd/txt_dpr_protection.h"

#include <algorithm>

namespace dlsim::txt {

namespace {

// [gpa, gpa + len) and [base, base + size) share a byte.
bool overlaps(uint64_t gpa, uint64_t len, uint64_t base, uint64_t size) {
  return len > 0 && size > 0 && gpa <= base + (size - 1) && base <= gpa + (len - 1);
}

}  // namespace

TxtDpr decodeTxtDpr(uint64_t reg) {
  TxtDpr d;
  d.lock = (reg & 1) != 0;
  d.size = ((reg >> 4) & 0xff) << 20;
  d.top = reg & 0xfff00000ull;
  return d;
}

bool TxtDprProtection::allow(uint32_t, uint64_t gpa, uint64_t len, bool) {
  const TxtDpr d = decodeTxtDpr(layout_().dpr);
  return !overlaps(gpa, len, d.base(), d.top - d.base());
}

std::optional<DmaRegion> TxtDprProtection::regionOf(uint64_t gpa, uint64_t len) const {
  const TxtDmaLayout l = layout_();
  const TxtDpr d = decodeTxtDpr(l.dpr);
  const uint64_t size = d.top - d.base();
  if (!overlaps(gpa, len, d.base(), size)) return std::nullopt;
  // A sub-region counts when the access touches it where DPR covers it.
  auto inside = [&](uint64_t base, uint64_t bytes) {
    const uint64_t from = std::max(base, d.base());
    const uint64_t to = std::min(base + bytes, d.top);
    return from < to && overlaps(gpa, len, from, to - from);
  };
  if (inside(l.heapBase, l.heapSize)) return DmaRegion{"TXT heap (in DPR)", l.heapBase, l.heapSize};
  if (inside(l.sinitBase, l.sinitSize)) return DmaRegion{"SINIT (in DPR)", l.sinitBase, l.sinitSize};
  return DmaRegion{"DPR", d.base(), size};
}

}  // namespace dlsim::txt
