// The capability MSR values against what SDM vol. 3D appendix A says every
// processor's values satisfy, and against what tboot's init_vmx_ctrl()
// asks of them (txt/vmcs.c: each wanted control must be allowed).
#include <gtest/gtest.h>

#include "txt_model/vmx/vmx_capabilities.h"

namespace dlsim::txt {
namespace {

uint32_t bits(std::initializer_list<int> list) {
  uint32_t v = 0;
  for (int b : list) v |= 1u << b;
  return v;
}

TEST(VmxCapabilities, FitTheSdmsDefinitions) {
  const VmxCapabilities c = VmxCapabilities::coffeeLake();
  const uint64_t basic = c.value(vmx_msr::kBasic);
  EXPECT_EQ(basic >> 31 & 1, 0u);  // A.1: bit 31 always 0
  const uint64_t size = basic >> 32 & 0x1fff;
  EXPECT_GT(size, 0u);
  EXPECT_LE(size, 4096u);
  EXPECT_EQ(basic >> 48 & 1, 0u);  // 0 on processors with Intel 64
  EXPECT_EQ(basic >> 50 & 0xf, 6u);  // VMCS memory type write-back
  // A.3-A.5: allowed-0 settings (bits 31:0) are a subset of the allowed-1
  // settings (63:32); the TRUE MSRs allow the same 1s and at most the same must-be-1s.
  const std::pair<uint32_t, uint32_t> pairs[] = {{vmx_msr::kPinbased, vmx_msr::kTruePinbased},
                                                 {vmx_msr::kProcbased, vmx_msr::kTrueProcbased},
                                                 {vmx_msr::kExit, vmx_msr::kTrueExit},
                                                 {vmx_msr::kEntry, vmx_msr::kTrueEntry}};
  for (auto [plain, truth] : pairs) {
    const uint64_t p = c.value(plain), t = c.value(truth);
    EXPECT_EQ(static_cast<uint32_t>(p) & ~static_cast<uint32_t>(p >> 32), 0u) << std::hex << plain;
    EXPECT_EQ(static_cast<uint32_t>(t) & ~static_cast<uint32_t>(p), 0u) << std::hex << truth;
    EXPECT_EQ(p >> 32, t >> 32) << std::hex << truth;
  }
  // The default-1 classes are must-be-1 in the non-TRUE MSRs (A.2).
  const uint32_t pin1 = bits({1, 2, 4}), proc1 = bits({1, 4, 5, 6, 8, 13, 14, 15, 16, 26}),
                 exit1 = bits({0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 16, 17}),
                 entry1 = bits({0, 1, 2, 3, 4, 5, 6, 7, 8, 12});
  EXPECT_EQ(static_cast<uint32_t>(c.value(vmx_msr::kPinbased)) & pin1, pin1);
  EXPECT_EQ(static_cast<uint32_t>(c.value(vmx_msr::kProcbased)) & proc1, proc1);
  EXPECT_EQ(static_cast<uint32_t>(c.value(vmx_msr::kExit)) & exit1, exit1);
  EXPECT_EQ(static_cast<uint32_t>(c.value(vmx_msr::kEntry)) & entry1, entry1);
  // A.7/A.8: FIXED0 within FIXED1; PE, NE, PG and VMXE fixed to 1.
  for (auto [f0, f1] : {std::pair{vmx_msr::kCr0Fixed0, vmx_msr::kCr0Fixed1}, {vmx_msr::kCr4Fixed0, vmx_msr::kCr4Fixed1}})
    EXPECT_EQ(c.value(f0) & ~c.value(f1), 0u);
  EXPECT_EQ(c.value(vmx_msr::kCr0Fixed0) & 0x80000021u, 0x80000021u);
  EXPECT_EQ(c.value(vmx_msr::kCr4Fixed0) & 0x2000u, 0x2000u);
  // A TXT platform: CR4.SMXE may stay set in VMX operation.
  EXPECT_TRUE(c.cr4Fits(0x2000 | 0x4000 | 0x10 | 0x40));
  // A.6: the wait-for-SIPI activity state tboot's mini-guest uses.
  EXPECT_TRUE(c.activityStateSupported(3));
  EXPECT_EQ(c.revisionId(), 4u);
  // Every MSR of 0x480-0x491 is there on this processor (secondary
  // controls, TRUE controls and VM functions are all reported).
  for (uint32_t m = vmx_msr::kFirst; m <= vmx_msr::kLast; ++m) EXPECT_TRUE(c.msr(m)) << std::hex << m;
}

TEST(VmxCapabilities, AllowTbootsControls) {
  // init_vmx_ctrl: ctrl = (wanted & allowed-1) | must-be-1, and all wanted bits must survive.
  const VmxCapabilities c = VmxCapabilities::coffeeLake();
  const std::pair<uint32_t, uint32_t> wanted[] = {{vmx_msr::kPinbased, 1u << 3},             // NMI exiting
                                                  {vmx_msr::kProcbased, (1u << 9) | (1u << 10)},  // INVLPG, MWAIT
                                                  {vmx_msr::kExit, 1u << 15},                // ack interrupt
                                                  {vmx_msr::kEntry, 0}};
  for (auto [msr, want] : wanted) {
    const uint64_t v = c.value(msr);
    const uint32_t ctrl = (want & static_cast<uint32_t>(v >> 32)) | static_cast<uint32_t>(v);
    EXPECT_EQ(ctrl & want, want) << std::hex << msr;
    // And a VM entry's check (against the TRUE MSR) accepts the result.
    const uint32_t trueMsr = msr == vmx_msr::kPinbased    ? vmx_msr::kTruePinbased
                             : msr == vmx_msr::kProcbased ? vmx_msr::kTrueProcbased
                             : msr == vmx_msr::kExit      ? vmx_msr::kTrueExit
                                                          : vmx_msr::kTrueEntry;
    EXPECT_TRUE(VmxCapabilities::controlsFit(ctrl, c.value(trueMsr))) << std::hex << msr;
  }
}

}  // namespace
}  // namespace dlsim::txt
