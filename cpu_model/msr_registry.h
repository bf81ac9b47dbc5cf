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
  // The platform's own write (a model, a scenario setting): values software
  // may not write, such as a read-only MSR's value or a machine-check bank's
  // error status. Null: the platform writes as software does.
  MsrWriteFn platformWrite = nullptr;
  // Where a scenario gives this MSR's power-on value when a model's own
  // section holds it (a JSON pointer such as /txt/feature_control): the
  // scenario's /machine/msrs refuses the MSR, so its value has one place.
  // Empty: /machine/msrs may set it (through platformWrite).
  std::string scenarioField = {};
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
  // The platform sets `msr` of `cpu` (MsrRange::platformWrite, else its
  // software write). False when no range holds it or the value is refused.
  bool setByPlatform(int cpu, uint32_t msr, uint64_t value) const;

 private:
  std::vector<MsrRange> ranges_;  // sorted by first
};

}  // namespace dlsim
