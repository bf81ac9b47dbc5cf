// How the SINIT model reaches the platform's DMA-remapping units to apply
// OsSinitData's PMRs (shared/spec/intel-txt.md §9: "PMRs come from
// OsSinitData and are applied by SINIT"). SINIT finds the units as the ACPI
// DMAR names them (each DRHD's register base); what programming a unit's
// registers means is the platform's (txt_model/platform/txt_vtd_link.h does
// it through the bus), so no VT-d detail reaches the SINIT model.
#pragma once
#include <cstdint>
#include <string>

namespace dlsim::txt {

// OsSinitData's two ranges, [base, base + size); size 0: the region off.
struct PmrRanges {
  uint64_t lowBase = 0, lowSize = 0;
  uint64_t highBase = 0, highSize = 0;
};

// What programming one unit came to.
struct PmrUnitResult {
  uint64_t registerBase = 0;
  bool applied = false;  // the unit's regions read back as asked and PMEN.PRS is set
  std::string detail;    // what is wrong when not applied
};

class SinitPmrProgrammer {
 public:
  virtual ~SinitPmrProgrammer() = default;
  // Programs the unit whose registers are at `registerBase` (a DRHD's
  // Register Base Address) with `ranges` and enables its protected regions.
  virtual PmrUnitResult program(uint64_t registerBase, const PmrRanges& ranges) = 0;
};

}  // namespace dlsim::txt
