// The chipset's CMD.LOCK-PMRC reaching the VT-d units: SINIT locks the PMR
// configuration after programming the PMRs (MLE developer's guide, PMR
// lock), and from then on every DMA-remapping unit's PLMBASE/PLMLIMIT/
// PHMBASE/PHMLIMIT are read-only (VtdUnit::setPmrLocked) until
// CMD.UNLOCK-PMRC or a platform reset. The units are whatever VtdUnit
// devices are on the bus when the command is written (the "vtd" model
// installs them; without one there is nothing to lock).
#pragma once

namespace dlsim {
class Bus;
}

namespace dlsim::txt {

class TxtChipset;

void linkPmrcLockToVtdUnits(TxtChipset& chipset, Bus& bus);

}  // namespace dlsim::txt
