#include "cpu_model/msr_registry.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

void MsrRegistry::add(MsrRange range) {
  if (range.last < range.first) throw InternalError("MSR range " + hex(range.first) + " ends before it starts");
  for (const auto& r : ranges_) {
    if (range.first <= r.last && r.first <= range.last)
      throw InternalError("MSR range " + hex(range.first) + "-" + hex(range.last) + " of '" + range.owner +
                          "' overlaps '" + r.owner + "' (" + hex(r.first) + "-" + hex(r.last) + ")");
  }
  ranges_.push_back(std::move(range));
  std::sort(ranges_.begin(), ranges_.end(), [](const MsrRange& a, const MsrRange& b) { return a.first < b.first; });
}

const MsrRange* MsrRegistry::find(uint32_t msr) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), msr,
                             [](uint32_t m, const MsrRange& r) { return m < r.first; });
  if (it == ranges_.begin()) return nullptr;
  --it;
  return msr <= it->last ? &*it : nullptr;
}

bool MsrRegistry::setByPlatform(int cpu, uint32_t msr, uint64_t value) const {
  const MsrRange* r = find(msr);
  if (!r) return false;
  if (r->platformWrite) return r->platformWrite(cpu, msr, value);
  return r->write && r->write(cpu, msr, value);
}

}  // namespace dlsim
