// GETSEC[SENTER], the processor side (SDM vol. 2D GETSEC[SENTER], Operation):
// the ILP's checks, then the SENTER rendezvous (every CPU masks SMI, INIT,
// A20M and NMI; the RLPs clear IA32_APIC_BASE.BSP and enter SENTER sleep),
// then the hand-over to the SINIT model (ACM load, authentication,
// measurement, entry: txt_model/sinit/).
#include "cpu_model/cpu.h"
#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "txt_model/getsec/getsec.h"
#include "txt_model/getsec/getsec_rules.h"

namespace dlsim::txt {

namespace r = getsec_rules;

namespace {
constexpr uint64_t kCr0Ne = 1ull << 5, kCr0Nw = 1ull << 29, kCr0Cd = 1ull << 30;
constexpr uint32_t kApicBaseMsr = 0x1B;
constexpr uint64_t kApicBaseBsp = 1ull << 8;
}  // namespace

InsnOutcome Getsec::senter(Cpu& cpu) {
  if (auto o = requireProtectedCpl0(cpu, r::kSenterProtectedMode, r::kSenterCpl0)) return *o;
  const uint64_t cr0 = cpu.reg(Reg::Cr0);
  if (auto o = require(cpu, !(cr0 & (kCr0Cd | kCr0Nw)), r::kSenterCache, InsnOutcome::RaiseGP, "CR0 = " + hex(cr0)))
    return *o;
  if (auto o = require(cpu, cr0 & kCr0Ne, r::kSenterNe, InsnOutcome::RaiseGP, "CR0 = " + hex(cr0))) return *o;
  if (auto o = require(cpu, isBsp(cpu), r::kSenterBsp, InsnOutcome::RaiseGP,
                       "CPU " + std::to_string(cpu.index()) + " has IA32_APIC_BASE.BSP = 0"))
    return *o;
  if (auto o = require(cpu, chipset_.txtCapable(), r::kSenterChipset, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, !chipset_.senterInProgress(), r::kSenterNotMeasured, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, !smx_.at(cpu.index()).acMode, r::kSenterNotAcMode, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, config_.tpmPresent, r::kSenterTpm, InsnOutcome::RaiseGP)) return *o;

  const uint32_t edx = static_cast<uint32_t>(cpu.reg(Reg::Rdx));
  // The controls PARAMETERS type 4 reports sit in EAX[14:8]; EDX[6:0] asks for them.
  const uint32_t supported = (config_.profile.senterControls >> 8) & 0x7F;
  if (auto o = require(cpu, (edx & supported) == edx, r::kSenterEdxSupported, InsnOutcome::RaiseGP,
                       "EDX = " + hex(edx) + ", supported " + hex(supported)))
    return *o;
  const uint64_t fc = featureControl(cpu.index());
  const std::string fcText = "IA32_FEATURE_CONTROL = " + hex(fc);
  if (auto o = require(cpu, fc & feature_control::kLock, r::kSenterFeatureControlLocked, InsnOutcome::RaiseGP, fcText))
    return *o;
  if (auto o = require(cpu, fc & feature_control::kSenterGlobal, r::kSenterGlobalEnable, InsnOutcome::RaiseGP, fcText))
    return *o;
  const uint32_t local = static_cast<uint32_t>(fc >> 8) & 0x7F;
  if (auto o = require(cpu, (local & edx & 0x7F) == (edx & 0x7F), r::kSenterLocalEnables, InsnOutcome::RaiseGP,
                       fcText + ", EDX = " + hex(edx)))
    return *o;
  std::string mce;
  if (auto o = require(cpu, !machineCheckPending(cpu, mce), r::kSenterMce, InsnOutcome::RaiseGP, mce)) return *o;

  if (auto o = requireModuleRange(cpu, {r::kSenterModuleAligned, r::kSenterModuleSize, r::kSenterModuleBelow4G}))
    return *o;
  const uint32_t base = static_cast<uint32_t>(cpu.reg(Reg::Rbx));
  const uint32_t size = static_cast<uint32_t>(cpu.reg(Reg::Rcx));

  // The rendezvous. Every CPU masks the external events; the RLPs (every
  // CPU but this one, whether running, halted or waiting for SIPI) leave
  // the boot-strap role and sleep until WAKEUP or SEXIT.
  smx_.ilp = cpu.index();
  for (int i = 0; i < host_.cpuCount(); ++i) {
    smx_.maskAll(i);
    if (i == cpu.index()) continue;
    Cpu& rlp = host_.cpu(i);
    if (host_.msrs().find(kApicBaseMsr))
      if (auto v = rlp.readMsr(kApicBaseMsr)) rlp.writeMsr(kApicBaseMsr, *v & ~kApicBaseBsp);
    rlp.enterModelSleep(kSenterSleep);
  }
  chipset_.senterStarted();
  if (!sinit_) {
    cpu.stopMachine("guest-error", "GETSEC[SENTER]: this platform has no SINIT model to hand over to");
    return InsnOutcome::Stop;
  }
  const InsnOutcome launched = sinit_->senter(cpu, base, size, edx);
  // SINIT chose the monitor-based RLP wake-up: the RLPs wait on its address.
  if (launched != InsnOutcome::Stop)
    if (auto at = sinit_->rlpWakeupAddress()) parkRlpsOnWakeupAddress(cpu.index(), *at);
  return launched;
}

}  // namespace dlsim::txt
