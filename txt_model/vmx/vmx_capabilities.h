// The VMX capability MSRs (SDM vol. 3D appendix A, MSRs 0x480-0x491) of the
// processor the platform models, and what the VMX model reads from them:
// the VMCS revision identifier, which control bits may be 0 or 1, which
// activity states exist, the CR0/CR4 bits fixed in VMX operation.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace dlsim::txt {

namespace vmx_msr {
inline constexpr uint32_t kBasic = 0x480, kPinbased = 0x481, kProcbased = 0x482, kExit = 0x483, kEntry = 0x484,
                          kMisc = 0x485, kCr0Fixed0 = 0x486, kCr0Fixed1 = 0x487, kCr4Fixed0 = 0x488,
                          kCr4Fixed1 = 0x489, kVmcsEnum = 0x48A, kProcbased2 = 0x48B, kEptVpidCap = 0x48C,
                          kTruePinbased = 0x48D, kTrueProcbased = 0x48E, kTrueExit = 0x48F, kTrueEntry = 0x490,
                          kVmfunc = 0x491;
inline constexpr uint32_t kFirst = 0x480, kLast = 0x491;
}  // namespace vmx_msr

struct VmxCapabilities {
  std::string source;                // where the values were read
  std::map<uint32_t, uint64_t> msrs;  // index -> value; an index not here raises #GP(0) on RDMSR

  std::optional<uint64_t> msr(uint32_t index) const;
  uint64_t value(uint32_t index) const { return msr(index).value_or(0); }

  // IA32_VMX_BASIC: bits 30:0 the VMCS revision identifier, bit 55 the TRUE
  // control MSRs (A.1).
  uint32_t revisionId() const { return static_cast<uint32_t>(value(vmx_msr::kBasic) & 0x7fffffff); }
  bool trueControls() const { return value(vmx_msr::kBasic) >> 55 & 1; }
  // The MSR whose allowed-0 (bits 31:0) and allowed-1 (63:32) settings a VM
  // entry checks a control against: the TRUE one when bit 55 is set (A.3-A.5).
  uint64_t pinControls() const { return value(trueControls() ? vmx_msr::kTruePinbased : vmx_msr::kPinbased); }
  uint64_t procControls() const { return value(trueControls() ? vmx_msr::kTrueProcbased : vmx_msr::kProcbased); }
  uint64_t exitControls() const { return value(trueControls() ? vmx_msr::kTrueExit : vmx_msr::kExit); }
  uint64_t entryControls() const { return value(trueControls() ? vmx_msr::kTrueEntry : vmx_msr::kEntry); }
  // A control value fits its capability MSR: every allowed-0 bit set, no bit
  // beyond allowed-1.
  static bool controlsFit(uint32_t controls, uint64_t capability) {
    const auto must = static_cast<uint32_t>(capability), may = static_cast<uint32_t>(capability >> 32);
    return (controls & must) == must && (controls & ~may) == 0;
  }
  // IA32_VMX_MISC (A.6): activity states 1-3 in bits 8:6, the CR3-target
  // count in 24:16, VMWRITE to any field (VM-exit information ones too) in 29.
  bool activityStateSupported(uint32_t state) const {
    return state == 0 || (state <= 3 && (value(vmx_msr::kMisc) >> (5 + state) & 1));
  }
  uint32_t cr3TargetCount() const { return static_cast<uint32_t>(value(vmx_msr::kMisc) >> 16 & 0x1ff); }
  bool vmwriteAnyField() const { return value(vmx_msr::kMisc) >> 29 & 1; }
  // CR0/CR4 in VMX operation (A.7, A.8): bits set in FIXED0 are 1, bits clear
  // in FIXED1 are 0.
  bool cr0Fits(uint64_t cr0) const { return fits(cr0, vmx_msr::kCr0Fixed0, vmx_msr::kCr0Fixed1); }
  bool cr4Fits(uint64_t cr4) const { return fits(cr4, vmx_msr::kCr4Fixed0, vmx_msr::kCr4Fixed1); }
  // CR0 bits that are fixed (to 0 or 1) in VMX operation.
  uint64_t cr0FixedMask() const { return ~(value(vmx_msr::kCr0Fixed1) & ~value(vmx_msr::kCr0Fixed0)); }
  uint64_t cr4FixedMask() const { return ~(value(vmx_msr::kCr4Fixed1) & ~value(vmx_msr::kCr4Fixed0)); }

  // An 8th/9th generation Core (Coffee Lake, CPUID 000906EA) processor's
  // values: the cfl-client profile's generation.
  static VmxCapabilities coffeeLake();

 private:
  bool fits(uint64_t v, uint32_t fixed0, uint32_t fixed1) const {
    return (v & value(fixed0)) == value(fixed0) && (v & ~value(fixed1)) == 0;
  }
};

}  // namespace dlsim::txt
