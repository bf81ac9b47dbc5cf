// The fields of a Coffee Lake processor's VMCS (SDM vol. 3D appendix B),
// those of features its capability MSRs report (vmx_capabilities.cpp):
// posted interrupts, virtual-interrupt delivery, VMCS shadowing and TSC
// scaling are not there (their controls "must be cleared"), so neither are
// their fields.
#include "txt_model/vmx/vmcs_fields.h"

#include <algorithm>
#include <array>
#include <utility>

namespace dlsim::txt {

namespace {
constexpr std::pair<uint32_t, const char*> kFields[] = {
    {0x0000, "virtual-processor identifier"},
    {0x0004, "EPTP index"},
    {0x0800, "guest ES selector"}, {0x0802, "guest CS selector"}, {0x0804, "guest SS selector"},
    {0x0806, "guest DS selector"}, {0x0808, "guest FS selector"}, {0x080A, "guest GS selector"},
    {0x080C, "guest LDTR selector"}, {0x080E, "guest TR selector"}, {0x0812, "PML index"},
    {0x0C00, "host ES selector"}, {0x0C02, "host CS selector"}, {0x0C04, "host SS selector"},
    {0x0C06, "host DS selector"}, {0x0C08, "host FS selector"}, {0x0C0A, "host GS selector"},
    {0x0C0C, "host TR selector"},
    {0x2000, "I/O bitmap A"}, {0x2002, "I/O bitmap B"}, {0x2004, "MSR bitmaps"},
    {0x2006, "VM-exit MSR-store address"}, {0x2008, "VM-exit MSR-load address"},
    {0x200A, "VM-entry MSR-load address"}, {0x200C, "executive-VMCS pointer"}, {0x200E, "PML address"},
    {0x2010, "TSC offset"}, {0x2012, "virtual-APIC address"}, {0x2014, "APIC-access address"},
    {0x2018, "VM-function controls"}, {0x201A, "EPT pointer"}, {0x2024, "EPTP-list address"},
    {0x202A, "virtualization-exception information address"}, {0x202C, "XSS-exiting bitmap"},
    {0x202E, "ENCLS-exiting bitmap"},
    {0x2400, "guest-physical address"},
    {0x2800, "VMCS link pointer"}, {0x2802, "guest IA32_DEBUGCTL"}, {0x2804, "guest IA32_PAT"},
    {0x2806, "guest IA32_EFER"}, {0x2808, "guest IA32_PERF_GLOBAL_CTRL"}, {0x280A, "guest PDPTE0"},
    {0x280C, "guest PDPTE1"}, {0x280E, "guest PDPTE2"}, {0x2810, "guest PDPTE3"},
    {0x2812, "guest IA32_BNDCFGS"},
    {0x2C00, "host IA32_PAT"}, {0x2C02, "host IA32_EFER"}, {0x2C04, "host IA32_PERF_GLOBAL_CTRL"},
    {0x4000, "pin-based VM-execution controls"}, {0x4002, "primary processor-based VM-execution controls"},
    {0x4004, "exception bitmap"}, {0x4006, "page-fault error-code mask"},
    {0x4008, "page-fault error-code match"}, {0x400A, "CR3-target count"}, {0x400C, "VM-exit controls"},
    {0x400E, "VM-exit MSR-store count"}, {0x4010, "VM-exit MSR-load count"}, {0x4012, "VM-entry controls"},
    {0x4014, "VM-entry MSR-load count"}, {0x4016, "VM-entry interruption-information field"},
    {0x4018, "VM-entry exception error code"}, {0x401A, "VM-entry instruction length"},
    {0x401C, "TPR threshold"}, {0x401E, "secondary processor-based VM-execution controls"},
    {0x4020, "PLE_Gap"}, {0x4022, "PLE_Window"},
    {0x4400, "VM-instruction error"}, {0x4402, "exit reason"}, {0x4404, "VM-exit interruption information"},
    {0x4406, "VM-exit interruption error code"}, {0x4408, "IDT-vectoring information field"},
    {0x440A, "IDT-vectoring error code"}, {0x440C, "VM-exit instruction length"},
    {0x440E, "VM-exit instruction information"},
    {0x4800, "guest ES limit"}, {0x4802, "guest CS limit"}, {0x4804, "guest SS limit"},
    {0x4806, "guest DS limit"}, {0x4808, "guest FS limit"}, {0x480A, "guest GS limit"},
    {0x480C, "guest LDTR limit"}, {0x480E, "guest TR limit"}, {0x4810, "guest GDTR limit"},
    {0x4812, "guest IDTR limit"}, {0x4814, "guest ES access rights"}, {0x4816, "guest CS access rights"},
    {0x4818, "guest SS access rights"}, {0x481A, "guest DS access rights"}, {0x481C, "guest FS access rights"},
    {0x481E, "guest GS access rights"}, {0x4820, "guest LDTR access rights"},
    {0x4822, "guest TR access rights"}, {0x4824, "guest interruptibility state"},
    {0x4826, "guest activity state"}, {0x4828, "guest SMBASE"}, {0x482A, "guest IA32_SYSENTER_CS"},
    {0x482E, "VMX-preemption timer value"},
    {0x4C00, "host IA32_SYSENTER_CS"},
    {0x6000, "CR0 guest/host mask"}, {0x6002, "CR4 guest/host mask"}, {0x6004, "CR0 read shadow"},
    {0x6006, "CR4 read shadow"}, {0x6008, "CR3-target value 0"}, {0x600A, "CR3-target value 1"},
    {0x600C, "CR3-target value 2"}, {0x600E, "CR3-target value 3"},
    {0x6400, "exit qualification"}, {0x6402, "I/O RCX"}, {0x6404, "I/O RSI"}, {0x6406, "I/O RDI"},
    {0x6408, "I/O RIP"}, {0x640A, "guest-linear address"},
    {0x6800, "guest CR0"}, {0x6802, "guest CR3"}, {0x6804, "guest CR4"}, {0x6806, "guest ES base"},
    {0x6808, "guest CS base"}, {0x680A, "guest SS base"}, {0x680C, "guest DS base"}, {0x680E, "guest FS base"},
    {0x6810, "guest GS base"}, {0x6812, "guest LDTR base"}, {0x6814, "guest TR base"},
    {0x6816, "guest GDTR base"}, {0x6818, "guest IDTR base"}, {0x681A, "guest DR7"}, {0x681C, "guest RSP"},
    {0x681E, "guest RIP"}, {0x6820, "guest RFLAGS"}, {0x6822, "guest pending debug exceptions"},
    {0x6824, "guest IA32_SYSENTER_ESP"}, {0x6826, "guest IA32_SYSENTER_EIP"},
    {0x6C00, "host CR0"}, {0x6C02, "host CR3"}, {0x6C04, "host CR4"}, {0x6C06, "host FS base"},
    {0x6C08, "host GS base"}, {0x6C0A, "host TR base"}, {0x6C0C, "host GDTR base"},
    {0x6C0E, "host IDTR base"}, {0x6C10, "host IA32_SYSENTER_ESP"}, {0x6C12, "host IA32_SYSENTER_EIP"},
    {0x6C14, "host RSP"}, {0x6C16, "host RIP"},
};
}  // namespace

const char* vmcsFieldName(uint32_t encoding) {
  if (vmcsWidth(encoding) == VmcsWidth::k64) encoding &= ~1u;
  auto it = std::lower_bound(std::begin(kFields), std::end(kFields), encoding,
                             [](const auto& f, uint32_t e) { return f.first < e; });
  return it != std::end(kFields) && it->first == encoding ? it->second : nullptr;
}

}  // namespace dlsim::txt
