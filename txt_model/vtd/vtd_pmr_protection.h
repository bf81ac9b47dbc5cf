// The DMA protection a VT-d unit's protected memory regions give: while
// PMEN.PRS shows them enabled, DMA of a requester in the unit's scope that
// touches the low (PLMR) or high (PHMR) region is blocked, whether
// translation is on or not; such blocks are not recorded as remapping
// faults (VT-d spec, PMEN_REG; the chipset datasheets' PMR registers).
#pragma once
#include "sim/dma_port.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {

class VtdPmrProtection : public DmaProtection {
 public:
  explicit VtdPmrProtection(const VtdUnit& unit) : unit_(unit) {}
  std::string name() const override { return "vtd-pmr"; }
  bool allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) override;
  // "PLMR" or "PHMR" with its range.
  std::optional<DmaRegion> regionOf(uint64_t gpa, uint64_t len) const override;

 private:
  const VtdUnit& unit_;
};

}  // namespace dlsim::txt
