#include "txt_model/vmx/vmx_capabilities.h"

namespace dlsim::txt {

std::optional<uint64_t> VmxCapabilities::msr(uint32_t index) const {
  auto it = msrs.find(index);
  if (it == msrs.end()) return std::nullopt;
  return it->second;
}

VmxCapabilities VmxCapabilities::coffeeLake() {
  // Read on a Core i7-9750H (MSI GS65 Stealth 9SE, CPUID 000906EA, Coffee
  // Lake) by VirtualBox 6.1.16 ring 0, printed in its VBox.log "HM:" lines
  // (VirtualBox forum, "Vbox 6.1 Black Screen on Startup Ubuntu 20.04",
  // 2021-01-14), with one bit added (CR4_FIXED1, below). docs/vmx.md lists
  // what each value says.
  VmxCapabilities c;
  c.source = "Core i7-9750H (Coffee Lake, CPUID 000906EA), VirtualBox 6.1.16 VBox.log HM lines";
  c.msrs = {
      {vmx_msr::kBasic, 0x00da040000000004ull},         // revision 4, 1024-byte regions, WB, true MSRs
      {vmx_msr::kPinbased, 0x0000007f00000016ull},
      {vmx_msr::kProcbased, 0xfff9fffe0401e172ull},
      {vmx_msr::kExit, 0x01ffffff00036dffull},
      {vmx_msr::kEntry, 0x0003ffff000011ffull},
      {vmx_msr::kMisc, 0x000000007004c1e7ull},          // HLT, shutdown, wait-for-SIPI; 4 CR3 targets
      {vmx_msr::kCr0Fixed0, 0x0000000080000021ull},     // PG, NE, PE
      {vmx_msr::kCr0Fixed1, 0x00000000ffffffffull},
      {vmx_msr::kCr4Fixed0, 0x0000000000002000ull},     // VMXE
      // 0x3727ff read there, plus CR4.SMXE (bit 14): the i7-9750H has no SMX
      // (CPUID.1:ECX bit 6 clear in the same log), a TXT-capable Coffee Lake
      // has, and IA32_VMX_CR4_FIXED1 allows every CR4 bit the processor
      // supports (SDM vol. 3D A.8). tboot keeps CR4.SMXE set through VMXON.
      {vmx_msr::kCr4Fixed1, 0x00000000003767ffull},
      {vmx_msr::kVmcsEnum, 0x000000000000002eull},      // highest index 0x17
      {vmx_msr::kProcbased2, 0x005fbcff00000000ull},
      {vmx_msr::kEptVpidCap, 0x00000f0106734141ull},
      {vmx_msr::kTruePinbased, 0x0000007f00000016ull},
      {vmx_msr::kTrueProcbased, 0xfff9fffe04006172ull},
      {vmx_msr::kTrueExit, 0x01ffffff00036dfbull},
      {vmx_msr::kTrueEntry, 0x0003ffff000011fbull},
      {vmx_msr::kVmfunc, 0x0000000000000001ull},
  };
  return c;
}

}  // namespace dlsim::txt
