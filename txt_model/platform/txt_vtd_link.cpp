#include "txt_model/platform/txt_vtd_link.h"

#include "sim/bus.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {

void linkPmrcLockToVtdUnits(TxtChipset& chipset, Bus& bus) {
  chipset.setPmrcListener([&bus](bool locked) {
    for (const MmioWindow& w : bus.mmioWindows())
      if (auto* unit = dynamic_cast<VtdUnit*>(w.device)) unit->setPmrLocked(locked);
  });
}

}  // namespace dlsim::txt
