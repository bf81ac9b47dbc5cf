// What a scenario decides about the processor side of TXT: the platform
// profile (GETSEC capabilities and parameters), IA32_FEATURE_CONTROL as the
// BIOS left it, and whether the chipset has a TPM interface. The TXT
// platform model fills it from the scenario and passes it to installGetsec.
#pragma once
#include <array>
#include <cstdint>

#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

// IA32_FEATURE_CONTROL (MSR 0x3A) bits, SDM vol. 2D table 6-1 / vol. 4.
namespace feature_control {
inline constexpr uint64_t kLock = 1ull << 0;
inline constexpr uint64_t kVmxInSmx = 1ull << 1;
inline constexpr uint64_t kVmxOutsideSmx = 1ull << 2;
inline constexpr uint64_t kSenterLocalMask = 0x7Full << 8;  // SENTER local function enables, bits 14:8
inline constexpr uint64_t kSenterGlobal = 1ull << 15;
// What a TXT-enabling BIOS writes: locked, VMX in and outside SMX, every
// SENTER function and SENTER itself enabled.
inline constexpr uint64_t kTxtBiosDefault = kLock | kVmxInSmx | kVmxOutsideSmx | kSenterLocalMask | kSenterGlobal;
}  // namespace feature_control

struct GetsecConfig {
  TxtProfile profile;
  uint64_t featureControl = feature_control::kTxtBiosDefault;  // every CPU's at power-on
  bool tpmPresent = true;     // the chipset's TPM interface (GETSEC[SENTER] #GP(0) without one)
  bool advertiseVmx = true;   // CPUID.1:ECX.VMX (tboot requires it; VMX itself: txt_model/vmx/)
  // TXT.PUBLIC.KEY: the hash of the key ENTERACCS authenticates AC modules with.
  std::array<uint8_t, 32> publicKey{};
};

}  // namespace dlsim::txt
