// The scenario's scripted bus-master accesses ("dma"): each step reads or
// writes guest memory through the machine's DMA port, as its requester, when
// virtual time reaches its count or a CPU reaches its address (Machine's
// atInstructions / atAddress), and records what happened: landed, blocked
// by which protection and range, or not RAM; the bytes a read got.
#pragma once
#include <memory>
#include <vector>

#include "sim/machine/machine.h"
#include "sim/observation.h"
#include "sim/scenario/scenario.h"

namespace dlsim {

class DmaScript {
 public:
  // Schedules every step on `m` (before it starts); `m` must outlive the script.
  DmaScript(Machine& m, const std::vector<DmaStepSpec>& steps);
  DmaScript(const DmaScript&) = delete;
  DmaScript& operator=(const DmaScript&) = delete;

  // Every step in scenario order; "not-run" for those whose moment never came.
  const std::vector<DmaStepObservation>& outcomes() const { return outcomes_; }

 private:
  void run(size_t step, int cpu);

  Machine& machine_;
  std::vector<DmaStepSpec> steps_;
  std::vector<DmaStepObservation> outcomes_;
};

}  // namespace dlsim
