// The monitor-based RLP wake-up (MLE developer's guide: SinitMleData.
// RlpWakeupAddr, OsSinitData capabilities bit 1; shared/spec/intel-txt.md
// §6): when SINIT chose it, the RLPs in SENTER sleep wait on the address
// SINIT gave the MLE, and a nonzero write of the u32 there (by any CPU or a
// bus master) starts each from the MLE JOIN structure, as GETSEC[WAKEUP]
// does. The wait is the core's model sleep woken by a write
// (cpu_model/model_sleep_on_write.h), the same monitor MONITOR/MWAIT arm.
#include "cpu_model/cpu.h"
#include "cpu_model/model_sleep_on_write.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "sim/observation.h"
#include "txt_model/getsec/getsec.h"
#include "txt_model/getsec/getsec_rules.h"

namespace dlsim::txt {

void Getsec::parkRlpsOnWakeupAddress(int ilp, uint64_t address) {
  for (int i = 0; i < host_.cpuCount(); ++i) {
    Cpu& c = host_.cpu(i);
    if (i == ilp || c.state() != CpuState::ModelSleep || c.modelSleepName() != kSenterSleep) continue;
    enterModelSleepOnWrite(c, kSenterSleep, address,
                             [this, address](Cpu& rlp) { return monitorWakeRlp(rlp, address); });
  }
}

bool Getsec::monitorWakeRlp(Cpu& rlp, uint64_t address) {
  uint32_t word = 0;
  if (!host_.memory().readValue(address, word) || word == 0) return false;  // a write of zero: sleep on
  MleJoin join;
  if (std::optional<std::string> bad = readJoin(join)) {
    // The RLP shuts the platform down as at GETSEC[WAKEUP] (#BadJOINFormat);
    // no instruction is executing, so the machine ends the run.
    const std::string detail = "CPU " + std::to_string(rlp.index()) + " (monitor wake-up at " + hex(address) +
                               "), MLE.JOIN = " + hex(chipset_.mleJoin()) + ": " + *bad;
    const LaunchRule& rule = getsec_rules::kWakeupJoinFormat;
    if (host_.launchRules().broken(rule, rlp.index(), rlp.codeLinear(rlp.ip()), detail) == RuleMode::Stop) {
      host_.endRun(stop_reason::kLaunchRule, LaunchRules::stopDetail(rule, detail));
      return false;
    }
    chipset_.setErrorCode(kTxtShutdownBadJoinFormat);
    chipset_.txtReset();
    host_.endRun("txt-reset", "TXT shutdown (BadJOINFormat): " + detail);
    return false;
  }
  startRlpFromJoin(rlp.index(), join);
  return true;
}

}  // namespace dlsim::txt
