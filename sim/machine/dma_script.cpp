#include "sim/machine/dma_script.h"

namespace dlsim {

DmaScript::DmaScript(Machine& m, const std::vector<DmaStepSpec>& steps) : machine_(m), steps_(steps) {
  for (size_t i = 0; i < steps_.size(); ++i) {
    const DmaStepSpec& s = steps_[i];
    DmaStepObservation o;
    o.step = i;
    o.requester = s.requester;
    o.write = s.write;
    o.address = s.address;
    o.length = s.length;
    o.result = dma_result::kNotRun;
    outcomes_.push_back(o);
    if (s.atInstructions)
      machine_.atInstructions(*s.atInstructions, [this, i] { run(i, -1); });
    else
      machine_.atAddress(*s.atAddress, s.atCpu, [this, i](int cpu) { run(i, cpu); });
  }
}

void DmaScript::run(size_t step, int cpu) {
  const DmaStepSpec& s = steps_[step];
  DmaStepObservation& o = outcomes_[step];
  o.instructions = machine_.platform().time;
  o.cpu = cpu;
  BlockedDma why;
  DmaResult r;
  if (s.write) {
    r = machine_.dma().write(s.requester, s.address, s.bytes.data(), s.bytes.size(), &why);
  } else {
    o.bytes.resize(s.length);
    r = machine_.dma().read(s.requester, s.address, o.bytes.data(), o.bytes.size(), &why);
  }
  switch (r) {
    case DmaResult::kDone:
      o.result = dma_result::kLanded;
      break;
    case DmaResult::kNotRam:
      o.result = dma_result::kNotRam;
      break;
    case DmaResult::kBlocked:
      o.result = dma_result::kBlocked;
      o.protection = why.protection;
      if (why.region) {
        o.region = why.region->name;
        o.regionBase = why.region->base;
        o.regionSize = why.region->size;
      }
      break;
  }
}

}  // namespace dlsim
