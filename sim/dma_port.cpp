#include "sim/dma_port.h"

#include <algorithm>
#include <cstring>

namespace dlsim {

void DmaPort::removeProtection(DmaProtection* p) { std::erase(protections_, p); }

DmaProtection* DmaPort::refusedBy(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) {
  for (DmaProtection* p : protections_)
    if (!p->allow(requesterId, gpa, len, write)) return p;
  return nullptr;
}

void DmaPort::recordBlocked(const BlockedDma& b) {
  ++blockedCount_;
  if (blocked_.size() < kBlockedLimit) blocked_.push_back(b);
}

DmaResult DmaPort::read(uint32_t requesterId, uint64_t gpa, void* dst, size_t len, BlockedDma* why) {
  if (DmaProtection* p = refusedBy(requesterId, gpa, len, false)) {
    const BlockedDma b{requesterId, gpa, len, false, p->name(), p->regionOf(gpa, len)};
    recordBlocked(b);
    if (why) *why = b;
    std::memset(dst, 0xff, len);
    return DmaResult::kBlocked;
  }
  if (memory_.read(gpa, dst, len)) return DmaResult::kDone;
  std::memset(dst, 0xff, len);
  return DmaResult::kNotRam;
}

DmaResult DmaPort::write(uint32_t requesterId, uint64_t gpa, const void* src, size_t len, BlockedDma* why) {
  if (DmaProtection* p = refusedBy(requesterId, gpa, len, true)) {
    const BlockedDma b{requesterId, gpa, len, true, p->name(), p->regionOf(gpa, len)};
    recordBlocked(b);
    if (why) *why = b;
    return DmaResult::kBlocked;
  }
  return memory_.write(gpa, src, len) ? DmaResult::kDone : DmaResult::kNotRam;
}

}  // namespace dlsim
