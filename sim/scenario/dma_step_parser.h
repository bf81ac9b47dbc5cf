// Reads the "dma" section of a scenario: the scripted bus-master reads and
// writes (docs/scenario-format.md, "dma").
#pragma once
#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace dlsim {

// `cpus`: machine.cpus, the bound of "at.cpu".
std::vector<DmaStepSpec> parseDmaSteps(const JsonValue& dma, int cpus);

}  // namespace dlsim
