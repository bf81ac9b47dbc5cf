// Where GETSEC[SENTER] hands over once the processor side is done (checks
// passed, RLPs in SENTER sleep, events masked): loading the SINIT ACM into
// AC RAM, its authentication and measurement at locality 4, and the ACM's
// entry state are the SINIT model's (txt_model/sinit/). Tests use a fake.
#pragma once
#include <cstdint>

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
};

}  // namespace dlsim::txt
