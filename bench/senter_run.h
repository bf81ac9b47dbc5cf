// One measured launch for dlsim-senter-bench: a TXT launch scenario runs in
// this process (as `dlsim run` builds it), and the host wall and thread CPU
// time is taken from the moment a CPU reaches GETSEC with EAX = 4 (SENTER)
// to the moment a CPU reaches the MLE's entry (the scenario's `stop.at`,
// where the run ends). What SENTER found (the ACM, the heap, EDX) is copied
// at that first moment, before the clock starts, so the phases can be timed
// one by one afterwards on the same bytes (senter_phases.h).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/machine/runner.h"

namespace dlsim::bench {

struct SenterCapture {
  int ilp = -1;              // the CPU that executed SENTER
  uint32_t sinitBase = 0;    // EBX
  uint32_t sinitSize = 0;    // ECX
  uint32_t edx = 0;          // EDX (SENTER function controls)
  uint64_t heapBase = 0;     // TXT.HEAP.BASE / SIZE as public space reads them
  uint64_t heapSize = 0;
  std::vector<uint8_t> acm;  // ECX bytes at EBX: the ACM SENTER loads
  std::vector<uint8_t> heap; // the heap as SINIT finds it
};

struct SenterRun {
  bool reachedSenter = false;
  bool reachedMle = false;
  double wallUs = 0;  // SENTER reached -> MLE entry reached
  double cpuUs = 0;   // the same span, CLOCK_THREAD_CPUTIME_ID
  uint64_t instructionsBeforeSenter = 0;  // virtual time when SENTER was reached
  uint64_t instructionsAtEnd = 0;
  std::string stopReason, stopDetail;
  int cpus = 0;
  uint64_t mleEntry = 0;
  uint64_t mleSize = 0;  // OsSinitData.MLESize (set by measureSenterPhases)
  SenterCapture capture;
  ScenarioMachine machine;  // as the run left it (the phases read guest RAM and use its TPM)
};

// Loads and runs `scenarioPath`. The scenario must stop at the MLE entry
// (`stop.at`). Throws InputError for a scenario dlsim refuses or one
// without stop.at.
SenterRun runSenterToMle(const std::string& scenarioPath);

}  // namespace dlsim::bench
