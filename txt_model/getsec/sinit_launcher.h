// Where GETSEC[SENTER] hands over once the processor side is done (checks
// passed, RLPs in SENTER sleep, events masked): loading the SINIT ACM into
// AC RAM, its authentication and measurement at locality 4, and the ACM's
// entry state are the SINIT model's (txt_model/sinit/). Tests use a fake.
#pragma once
#include <cstdint>
#include <optional>

#include "cpu_model/special_instructions.h"

namespace dlsim {
class Cpu;
}

namespace dlsim::txt {

class SinitLauncher {
 public:
  virtual ~SinitLauncher() = default;
  // GETSEC[SENTER] on the ILP `ilp`, EBX = base, ECX = size, EDX = function
  // controls, after the processor-side checks and the rendezvous. Returns
  // what the instruction ends in (Jumped at the ACM's entry, Stop after a
  // TXT shutdown...).
  virtual InsnOutcome senter(Cpu& ilp, uint32_t base, uint32_t size, uint32_t edx) = 0;
  // After a successful senter(): the physical address SINIT gave the MLE as
  // SinitMleData.RlpWakeupAddr when it chose the monitor-based RLP wake-up
  // (OsSinitData capabilities bit 1). The RLPs then wait on that address
  // and start from MLE.JOIN when the MLE writes it. nullopt: GETSEC[WAKEUP] only.
  virtual std::optional<uint64_t> rlpWakeupAddress() const { return std::nullopt; }
};

}  // namespace dlsim::txt
