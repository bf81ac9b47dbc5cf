// The MTRRs as the ILP has them at SENTER (read through its RDMSR path:
// cpu_model/architectural_msrs.h), and the memory-type questions SENTER and
// SINIT ask of them (SDM vol. 3A 11.11: fixed ranges below 1 MiB when
// enabled, then variable ranges where UC wins and WT beats WB, else the
// default type; MTRRs disabled: everything UC).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dlsim {
class Cpu;
}

namespace dlsim::txt {

inline constexpr int kMtrrUc = 0, kMtrrWb = 6;

struct MtrrState {
  uint64_t defType = 0;  // IA32_MTRR_DEF_TYPE: type [7:0], FE [10], E [11]
  std::vector<std::pair<uint64_t, uint64_t>> variable;  // (PHYSBASE, PHYSMASK)
  std::vector<uint64_t> fixed;                         // the 11 fixed-range MSRs, 8 types each
  bool enabled() const { return defType >> 11 & 1; }
  bool fixedEnabled() const { return enabled() && (defType >> 10 & 1); }
  int defaultType() const { return static_cast<int>(defType & 0xFF); }
};

// nullopt when the platform has no MTRR MSRs (none registered).
std::optional<MtrrState> readMtrrs(Cpu& cpu);

// The effective type of the byte at `addr`; -1 when ranges of different
// cacheable types overlap (undefined, SDM 11.11.4.1).
int mtrrTypeAt(const MtrrState& m, uint64_t addr);

// Whether every 4 KiB page of [base, base + size) is WB; else `detail` names the first that is not.
bool mtrrRangeWriteBack(const MtrrState& m, uint64_t base, uint64_t size, std::string& detail);

// Whether every enabled fixed range is UC and every enabled variable range
// of another type lies inside [base, base + size); else `detail` says which.
bool mtrrOnlyRangeCached(const MtrrState& m, uint64_t base, uint64_t size, std::string& detail);

}  // namespace dlsim::txt
