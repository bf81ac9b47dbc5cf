// The TXT chipset and the SINIT model meeting the VT-d units:
//  - CMD.LOCK-PMRC: from then on every DMA-remapping unit's PLMBASE/
//    PLMLIMIT/PHMBASE/PHMLIMIT are read-only (VtdUnit::setPmrLocked) until
//    CMD.UNLOCK-PMRC or a platform reset. The units are whatever VtdUnit
//    devices are on the bus when the command is written (the "vtd" model
//    installs them; without one there is nothing to lock).
//  - SINIT applying OsSinitData's PMRs (BusPmrProgrammer): at each register
//    base the ACPI DMAR names, through the bus as software does it (VT-d
//    spec, PMEN_REG and PLMBASE_REG ff.): regions off first when they are
//    on (PMEN.EPM cleared, PRS polled clear), the alignment found by writing
//    all ones, base and limit written, PMEN.EPM set, PRS polled set, then
//    the registers read back. A PMRC lock makes the writes not take: the
//    result says so.
#pragma once
#include "txt_model/sinit/sinit_pmr_programmer.h"

namespace dlsim {
class Bus;
}

namespace dlsim::txt {

class TxtChipset;

void linkPmrcLockToVtdUnits(TxtChipset& chipset, Bus& bus);

class BusPmrProgrammer final : public SinitPmrProgrammer {
 public:
  BusPmrProgrammer(Bus& bus, const TxtChipset& chipset) : bus_(bus), chipset_(chipset) {}
  PmrUnitResult program(uint64_t registerBase, const PmrRanges& ranges) override;

 private:
  Bus& bus_;
  const TxtChipset& chipset_;
};

}  // namespace dlsim::txt
