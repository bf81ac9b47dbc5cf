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
// VM_HSAVE_PA: a 4 KiB-aligned physical address (bits 11:0 and those above
// the 52-bit physical address limit must be 0; APM 15.30.4).
inline constexpr uint64_t kHsavePaValid = 0x000FFFFFFFFFF000ull;
// #SX (APM 15.28): vector 30, error code 1 = INIT redirected.
inline constexpr uint8_t kSxVector = 30;

struct SvmCpuState {
  // Global interrupt flag (CLGI/STGI; SKINIT clears it). The CPU's own copy
  // (Cpu::gif) holds its fixed interrupts; change both, and release what was
  // held, through SvmCpu::setGif (svm_model/cpu/svm_cpu.h).
  bool gif = true;
  uint64_t vmCr = 0;      // VM_CR
  uint64_t hsavePa = 0;   // VM_HSAVE_PA
  // This CPU ran SKINIT (the BSP) or took its first SIPI after the BSP's
  // SKINIT (an AP: APM 15.27.8 clears its GIF and sets DPD, R_INIT, DIS_A20M).
  bool inSkinitLaunch = false;
  // INIT and NMI that arrived while GIF was 0, delivered when STGI sets it
  // (APM 15.27.6: held pending). Fixed interrupts wait in the local APIC.
  bool initHeld = false;
  bool nmiHeld = false;
  bool operator==(const SvmCpuState&) const = default;
};

class SvmCpus {
 public:
  explicit SvmCpus(int cpuCount) : cpus_(static_cast<size_t>(cpuCount)) {}
  // After a platform reset: every CPU as at power-on with VM_CR = `vmCr`
  // (the firmware's value, e.g. LOCK | SVMDIS), no SKINIT.
  void reset(uint64_t vmCr) {
    for (SvmCpuState& c : cpus_) c = SvmCpuState{true, vmCr};
    skinitExecuted = false;
  }
  int count() const { return static_cast<int>(cpus_.size()); }
  SvmCpuState& at(int cpu) { return cpus_.at(static_cast<size_t>(cpu)); }
  const SvmCpuState& at(int cpu) const { return cpus_.at(static_cast<size_t>(cpu)); }
  // Set by SKINIT on the BSP until the next platform reset.
  bool skinitExecuted = false;

 private:
  std::vector<SvmCpuState> cpus_;
};

}  // namespace dlsim::svm
