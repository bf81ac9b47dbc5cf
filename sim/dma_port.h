// The one way bus masters (a NIC, a disk controller, a device model's DMA
// engine) reach guest memory. Every read and write names its requester id
// and passes the DMA protections installed on the port (VT-d PMRs and DPR,
// AMD's DEV/SL_DEV, an IOMMU: models of later issues), the first of which
// that refuses blocks it; blocked accesses read all ones, write nothing and
// are recorded for the report.
//
// The platform's own set-up (loaders, boot structures, a launch model writing
// as the chipset) is not DMA and uses GuestMemory::write directly: that path
// is never subject to DMA protection.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/guest_memory.h"

namespace dlsim {

// A protected range, as a protection names it in reports ("PLMR",
// "TXT heap (in DPR)"): [base, base + size).
struct DmaRegion {
  std::string name;
  uint64_t base = 0;
  uint64_t size = 0;
};

class DmaProtection {
 public:
  virtual ~DmaProtection() = default;
  // Short stable name for reports ("vtd-pmr").
  virtual std::string name() const = 0;
  // Whether `requesterId` may read (write = false) or write [gpa, gpa+len).
  virtual bool allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) = 0;
  // The protected range an access allow() refused falls in, for reports;
  // nullopt when the protection names none.
  virtual std::optional<DmaRegion> regionOf(uint64_t /*gpa*/, uint64_t /*len*/) const { return std::nullopt; }
};

struct BlockedDma {
  uint32_t requesterId = 0;
  uint64_t gpa = 0;
  uint64_t len = 0;
  bool write = false;
  std::string protection;  // the name of the protection that refused it
  std::optional<DmaRegion> region;  // the range it named, if any
};

enum class DmaResult : uint8_t {
  kDone = 0,
  kBlocked = 1,  // a protection refused it
  kNotRam = 2,   // some byte is not RAM (master abort: reads all ones)
};

class DmaPort {
 public:
  static constexpr size_t kBlockedLimit = 1000;  // kept; more are only counted

  explicit DmaPort(GuestMemory& memory) : memory_(memory) {}

  // Consulted in the order added; the protection must outlive the port or be removed.
  void addProtection(DmaProtection* p) { protections_.push_back(p); }
  void removeProtection(DmaProtection* p);

  // `why` (optional) receives the record of a blocked access.
  DmaResult read(uint32_t requesterId, uint64_t gpa, void* dst, size_t len, BlockedDma* why = nullptr);
  DmaResult write(uint32_t requesterId, uint64_t gpa, const void* src, size_t len, BlockedDma* why = nullptr);

  const std::vector<BlockedDma>& blocked() const { return blocked_; }
  uint64_t blockedCount() const { return blockedCount_; }
  // Forgets the blocks recorded after the count was `count` (machine snapshots).
  void restoreBlockedCount(uint64_t count) {
    blockedCount_ = count;
    if (blocked_.size() > count) blocked_.resize(count);
  }

 private:
  // The protection refusing the access, or nullptr.
  DmaProtection* refusedBy(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write);
  void recordBlocked(const BlockedDma& b);

  GuestMemory& memory_;
  std::vector<DmaProtection*> protections_;
  std::vector<BlockedDma> blocked_;
  uint64_t blockedCount_ = 0;
};

}  // namespace dlsim
