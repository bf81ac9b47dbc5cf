// VMX on a machine (ModelHost): the VMX instructions as special
// instructions, the capability MSRs 0x480-0x491 (read-only: WRMSR raises
// #GP(0)), CPUID.1:ECX.VMX, the IPI filter that turns INIT, SIPI and NMI
// into VM exits, the reset hook and the snapshot part. The TXT platform
// installs it when the scenario's CPU has VMX.
#pragma once
#include "txt_model/vmx/vmx.h"

namespace dlsim {
class ModelHost;
}

namespace dlsim::txt {

// The Vmx object lives as long as the machine (ModelHost::keepAlive).
Vmx& installVmx(ModelHost& host, VmxConfig config);

// Each CPU's VMX state for the report (CPUs never in VMX operation left out).
std::vector<VmxCpuReport> vmxReport(ModelHost& host, const Vmx& vmx);

}  // namespace dlsim::txt
