// The leaves used inside a measured environment or AC mode (SDM vol. 2D
// chapter 6): SEXIT, SMCTRL, WAKEUP and EXITAC.
#include "cpu_model/cpu.h"
#include "cpu_model/launch_rule_stop.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "txt_model/getsec/getsec.h"
#include "txt_model/getsec/getsec_rules.h"
#include "txt_model/getsec/rlp_join.h"

namespace dlsim::txt {

namespace r = getsec_rules;

InsnOutcome Getsec::sexit(Cpu& cpu) {
  if (auto o = requireProtectedCpl0(cpu, r::kSexitProtectedMode, r::kSexitCpl0)) return *o;
  if (auto o = require(cpu, isBsp(cpu), r::kSexitBsp, InsnOutcome::RaiseGP,
                       "CPU " + std::to_string(cpu.index()) + " has IA32_APIC_BASE.BSP = 0"))
    return *o;
  if (auto o = require(cpu, chipset_.txtCapable(), r::kSexitChipset, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, chipset_.senterInProgress(), r::kSexitMeasured, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, !smx_.at(cpu.index()).acMode, r::kSexitNotAcMode, InsnOutcome::RaiseGP)) return *o;
  // The rendezvous: RLPs still in SENTER sleep go through INIT to
  // wait-for-SIPI (their BSP flag already clear); the others carry on. All
  // unmask SMI, INIT, A20M and NMI; the ILP closes the private space.
  for (int i = 0; i < host_.cpuCount(); ++i) {
    smx_.unmaskAll(i);
    Cpu& c = host_.cpu(i);
    if (i != cpu.index() && c.state() == CpuState::ModelSleep && c.modelSleepName() == kSenterSleep) c.init();
  }
  chipset_.closePrivate();
  chipset_.sexitDone();
  smx_.ilp = -1;
  return InsnOutcome::Done;
}

InsnOutcome Getsec::smctrl(Cpu& cpu) {
  if (auto o = requireProtectedCpl0(cpu, r::kSmctrlProtectedMode, r::kSmctrlCpl0)) return *o;
  const uint32_t ebx = static_cast<uint32_t>(cpu.reg(Reg::Rbx));
  if (auto o = require(cpu, ebx == 0, r::kSmctrlEbxZero, InsnOutcome::RaiseGP, "EBX = " + hex(ebx))) return *o;
  if (auto o = require(cpu, chipset_.senterInProgress(), r::kSmctrlMeasured, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, !smx_.at(cpu.index()).acMode, r::kSmctrlNotAcMode, InsnOutcome::RaiseGP)) return *o;
  smx_.at(cpu.index()).smiMasked = false;  // not in VMX operation, not in SMM: unmask SMI
  return InsnOutcome::Done;
}

InsnOutcome Getsec::wakeup(Cpu& cpu) {
  if (auto o = requireProtectedCpl0(cpu, r::kWakeupProtectedMode, r::kWakeupCpl0)) return *o;
  if (auto o = require(cpu, chipset_.senterInProgress(), r::kWakeupMeasured, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, !smx_.at(cpu.index()).acMode, r::kWakeupNotAcMode, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, isBsp(cpu), r::kWakeupBsp, InsnOutcome::RaiseGP,
                       "CPU " + std::to_string(cpu.index()) + " has IA32_APIC_BASE.BSP = 0"))
    return *o;
  if (auto o = require(cpu, chipset_.txtCapable(), r::kWakeupChipset, InsnOutcome::RaiseGP)) return *o;
  for (int i = 0; i < host_.cpuCount(); ++i) {
    Cpu& c = host_.cpu(i);
    if (i == cpu.index() || c.state() != CpuState::ModelSleep || c.modelSleepName() != kSenterSleep) continue;
    const InsnOutcome o = wakeRlp(cpu, i);
    if (o != InsnOutcome::Done) return o;
  }
  return InsnOutcome::Done;
}

// One RLP leaving SENTER sleep (SDM vol. 2D GETSEC[WAKEUP],
// RLP_SIPI_WAKEUP_FROM_SENTER_ROUTINE): it reads the JOIN structure at
// TXT.MLE.JOIN, checks it and starts there with A20M and NMI masked, INIT
// unmasked, SMI unmasked (no SMM monitor: IA32_SMM_MONITOR_CTL[0] = 0).
InsnOutcome Getsec::wakeRlp(Cpu& ilp, int rlp) {
  MleJoin join;
  if (std::optional<std::string> bad = readJoin(join)) {
    // The RLP shuts the platform down (TXT shutdown, ERRORCODE type 11);
    // the rule is reported at the ILP's WAKEUP.
    const std::string detail = "CPU " + std::to_string(rlp) + ", MLE.JOIN = " + hex(chipset_.mleJoin()) + ": " + *bad;
    if (breakRule(ilp, host_.launchRules(), r::kWakeupJoinFormat, detail)) return InsnOutcome::Stop;
    chipset_.setErrorCode(kTxtShutdownBadJoinFormat);
    chipset_.txtReset();
    // The platform model ends the run in its TXT reset; the CPU stops here
    // too, for a chipset that does not.
    ilp.stopMachine("txt-reset", "TXT shutdown (BadJOINFormat): " + detail);
    return InsnOutcome::Stop;
  }
  startRlpFromJoin(rlp, join);
  return InsnOutcome::Done;
}

std::optional<std::string> Getsec::readJoin(MleJoin& join) const {
  const uint64_t at = chipset_.mleJoin();
  uint8_t bytes[MleJoin::kSize] = {};
  if (!host_.memory().read(at, bytes, sizeof bytes)) return "MLE.JOIN " + hex(at) + " is not in RAM";
  join = MleJoin::parse(bytes);
  return join.formatError();
}

// SDM vol. 2D GETSEC[WAKEUP], RLP_SIPI_WAKEUP_FROM_SENTER_ROUTINE: the RLP
// starts at the JOIN state with A20M and NMI masked, INIT unmasked, SMI
// unmasked (no SMM monitor: IA32_SMM_MONITOR_CTL[0] = 0).
void Getsec::startRlpFromJoin(int rlp, const MleJoin& join) {
  SmxCpuState& s = smx_.at(rlp);
  s.smiMasked = false;
  s.initMasked = false;
  s.nmiMasked = true;
  s.a20mMasked = true;
  host_.wakeCpu(rlp, join.entryState());
}

InsnOutcome Getsec::exitac(Cpu& cpu) {
  if (auto o = requireProtectedCpl0(cpu, r::kExitacProtectedMode, r::kExitacCpl0)) return *o;
  if (auto o = require(cpu, smx_.at(cpu.index()).acMode, r::kExitacAcMode, InsnOutcome::RaiseGP)) return *o;
  const uint32_t edx = static_cast<uint32_t>(cpu.reg(Reg::Rdx));
  if (auto o = require(cpu, edx == 0, r::kExitacEdxZero, InsnOutcome::RaiseGP, "EDX = " + hex(edx))) return *o;
  // SDM vol. 2D GETSEC[EXITAC]: leave AC mode, close locality 3, lock SMRAM,
  // unmask INIT; after SENTER, SMI and NMI stay masked (SMCTRL and the MLE
  // unmask them); after ENTERACCS everything is unmasked. EIP = EBX.
  SmxCpuState& s = smx_.at(cpu.index());
  s.acMode = false;
  s.initMasked = false;
  if (!chipset_.senterInProgress()) s.smiMasked = s.nmiMasked = s.a20mMasked = false;
  chipset_.closeLocality3();
  chipset_.lockSmram();
  cpu.setIp(static_cast<uint32_t>(cpu.reg(Reg::Rbx)));
  return InsnOutcome::Jumped;
}

}  // namespace dlsim::txt
