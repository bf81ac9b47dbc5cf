// The SVM state of each CPU that the SVM MSRs, CLGI/STGI, SKINIT and the
// report share (APM vol. 2 15.27, 15.28, 15.30). One SvmCpus per machine;
// the SVM platform model owns it and registers it for snapshots.
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim::svm {

// MSR numbers and bits (APM vol. 2 15.30; Linux msr-index.h agrees).
inline constexpr uint32_t kMsrEfer = 0xC0000080;
inline constexpr uint64_t kEferSvme = 1ull << 12;
inline constexpr uint32_t kMsrVmCr = 0xC0010114;
inline constexpr uint32_t kMsrVmHsavePa = 0xC0010117;
inline constexpr uint64_t kVmCrDpd = 1ull << 0;
inline constexpr uint64_t kVmCrRInit = 1ull << 1;
inline constexpr uint64_t kVmCrDisA20m = 1ull << 2;
inline constexpr uint64_t kVmCrLock = 1ull << 3;
inline constexpr uint64_t kVmCrSvmDis = 1ull << 4;
inline constexpr uint64_t kVmCrValid = 0x1F;
// #SX (APM 15.28): vector 30, error code 1 = INIT redirected.
inline constexpr uint8_t kSxVector = 30;

struct SvmCpuState {
  bool gif = true;        // global interrupt flag (CLGI/STGI; SKINIT clears it)
  uint64_t vmCr = 0;      // VM_CR
  uint64_t hsavePa = 0;   // VM_HSAVE_PA
  // This CPU ran SKINIT (the BSP) or took its first SIPI after the BSP's
  // SKINIT (an AP: APM 15.27.8 clears its GIF and sets DPD, R_INIT, DIS_A20M).
  bool inSkinitLaunch = false;
  bool operator==(const SvmCpuState&) const = default;
};

class SvmCpus {
 public:
  explicit SvmCpus(int cpuCount) : cpus_(static_cast<size_t>(cpuCount)) {}
  int count() const { return static_cast<int>(cpus_.size()); }
  SvmCpuState& at(int cpu) { return cpus_.at(static_cast<size_t>(cpu)); }
  const SvmCpuState& at(int cpu) const { return cpus_.at(static_cast<size_t>(cpu)); }
  // Set by SKINIT on the BSP until the next platform reset.
  bool skinitExecuted = false;

 private:
  std::vector<SvmCpuState> cpus_;
};

}  // namespace dlsim::svm
