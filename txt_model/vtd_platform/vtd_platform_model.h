// VT-d DMA-remapping units as a platform model (sim/model_api): the "vtd"
// scenario section places units at the register bases the scenario chooses
// (the TXT platform will place them from its profile, as the DMAR table
// names them), maps each unit's register page on the bus, and puts its PMR
// protection on the DMA port. The report's "vtd" member shows each unit's
// registers and the rule breaks its software made.
#pragma once
#include "sim/model_api/platform_model.h"

namespace dlsim::txt {

const PlatformModel& vtdPlatformModel();

}  // namespace dlsim::txt
