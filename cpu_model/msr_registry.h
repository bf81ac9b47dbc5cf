// MSRs belong to the platform, not to Unicorn (which reads unknown MSRs as 0
// silently). Models register the ranges they implement; RDMSR/WRMSR of an MSR
// nobody registered raises #GP in the guest and is named in the report.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {

// Returns the value, or nullopt to raise #GP(0).
using MsrReadFn = std::function<std::optional<uint64_t>(int cpu, uint32_t msr)>;
// Returns false to raise #GP(0).
using MsrWriteFn = std::function<bool(int cpu, uint32_t msr, uint64_t value)>;

struct MsrRange {
  uint32_t first = 0;
  uint32_t last = 0;  // inclusive
  std::string owner;  // "lapic", "platform", "txt", ...
  MsrReadFn read;
  MsrWriteFn write;
};

class MsrRegistry {
 public:
  // Throws InternalError when the range overlaps one already registered.
  void add(MsrRange range);
  void add(uint32_t msr, std::string owner, MsrReadFn read, MsrWriteFn write) {
    add(MsrRange{msr, msr, std::move(owner), std::move(read), std::move(write)});
  }
  // The range holding msr, or nullptr.
  const MsrRange* find(uint32_t msr) const;

 private:
  std::vector<MsrRange> ranges_;  // sorted by first
};

}  // namespace dlsim
