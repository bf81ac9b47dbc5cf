#include "txt_model/vmx/vmx_install.h"

#include <capstone/capstone.h>

#include "cpu_model/cpu.h"
#include "cpu_model/cpuid_profile.h"
#include "cpu_model/ipi.h"
#include "cpu_model/msr_registry.h"
#include "sim/model_api/model_host.h"
#include "sim/observation.h"
#include "sim/snapshot/snapshot_registry.h"

namespace dlsim::txt {

Vmx& installVmx(ModelHost& host, VmxConfig config) {
  auto v = std::make_shared<Vmx>(host.memory(), std::move(config));
  host.keepAlive(v);
  Vmx* vp = v.get();
  for (unsigned id : {X86_INS_VMXON, X86_INS_VMXOFF, X86_INS_VMCLEAR, X86_INS_VMPTRLD, X86_INS_VMPTRST, X86_INS_VMREAD,
                      X86_INS_VMWRITE, X86_INS_VMLAUNCH, X86_INS_VMRESUME, X86_INS_VMCALL})
    host.specialInstructions().add(id, "txt-vmx", [vp](Cpu& cpu, const DecodedInsn& insn) { return vp->execute(cpu, insn); });
  host.specialInstructions().addGuard("txt-vmx", [vp](Cpu& cpu, const DecodedInsn& insn) { return vp->guard(cpu, insn); });
  host.msrs().add(MsrRange{vmx_msr::kFirst, vmx_msr::kLast, "txt-vmx",
                           [vp](int, uint32_t msr) { return vp->config().caps.msr(msr); },
                           [](int, uint32_t, uint64_t) { return false; }});
  host.cpuidProfile().setFeature("vmx", true);
  ModelHost* h = &host;
  host.addIpiFilter([vp, h](int target, IpiKind kind, uint8_t vector) {
    return vp->onIpi(h->cpu(target), kind, vector,
                     [h](const std::string& detail) { h->endRun(stop_reason::kGuestError, detail); });
  });
  host.onReset([vp](ResetKind) { vp->reset(); });
  host.snapshotParts().add(
      "txt vmx", [vp] { return vp->saveState(); }, [vp](std::span<const uint8_t> b) { vp->restoreState(b); });
  return *vp;
}

std::vector<VmxCpuReport> vmxReport(ModelHost& host, const Vmx& vmx) {
  return vmx.report([&host](int cpu) -> Cpu* { return cpu < host.cpuCount() ? &host.cpu(cpu) : nullptr; });
}

}  // namespace dlsim::txt
