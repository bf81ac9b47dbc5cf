// The seam between SKINIT and the northbridge's SLB protection (APM vol. 2
// 15.27.6 step 2: SKINIT turns on SL_DEV protection of the 64 KiB SLB against
// every device access, the IOMMU's own table and command reads included).
// SKINIT calls protectSlb(base) once per launch; the platform model connects
// it to the northbridge model (SL_DEV_EN on legacy DEV parts, MEMPROT_EN on
// family 17h+), which also owns the release (software clears the bit).
#pragma once
#include <cstdint>

#include "svm_model/slb/slb_header.h"  // kSlbSize

namespace dlsim::svm {

class SlbProtection {
 public:
  virtual ~SlbProtection() = default;
  // Protects [base, base + kSlbSize) against all DMA from now on.
  virtual void protectSlb(uint64_t base) = 0;
};

}  // namespace dlsim::svm
