// The processor-side SMX state GETSEC keeps per CPU (SDM vol. 2D chapter 6):
// ACMODEFLAG (authenticated code execution mode) and the external events
// masked by SENTER/ENTERACCS. SENTERFLAG is the chipset's
// (LaunchChipset::senterInProgress(): every CPU sees the same measured
// environment). The SINIT model reads and sets acMode through it.
#pragma once
#include <vector>

namespace dlsim::txt {

struct SmxCpuState {
  bool acMode = false;       // ACMODEFLAG
  bool smiMasked = false;
  bool nmiMasked = false;
  bool initMasked = false;
  bool a20mMasked = false;
};

struct SmxState {
  std::vector<SmxCpuState> cpus;
  int ilp = -1;  // the CPU that executed SENTER (-1: none since the last SEXIT)

  SmxCpuState& at(int cpu) {
    if (static_cast<size_t>(cpu) >= cpus.size()) cpus.resize(static_cast<size_t>(cpu) + 1);
    return cpus[static_cast<size_t>(cpu)];
  }
  void maskAll(int cpu) {
    SmxCpuState& c = at(cpu);
    c.smiMasked = c.nmiMasked = c.initMasked = c.a20mMasked = true;
  }
  void unmaskAll(int cpu) {
    SmxCpuState& c = at(cpu);
    c.smiMasked = c.nmiMasked = c.initMasked = c.a20mMasked = false;
  }
};

}  // namespace dlsim::txt
