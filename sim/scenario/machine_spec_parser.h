// Reads the "machine" section of a scenario into a MachineSpec, with every
// range and cross-field rule (memory alignment and overlap, e820 sanity).
#pragma once
#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace dlsim {

MachineSpec parseMachineSpec(const JsonValue& machine);

}  // namespace dlsim
