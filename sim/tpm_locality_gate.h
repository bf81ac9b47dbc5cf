// Which TPM localities an access reaches is the chipset's decision, not the
// TPM's (TCG PC Client PTP: the platform asserts the locality of each
// access). The TPM model applies these rules on every access:
//  - locality 0: always;
//  - locality 4: only the platform's own D-RTM traffic, an access made with
//    AccessContext::fromPlatform(4) by a launch model (GETSEC[SENTER]'s or
//    SKINIT's Hash_Start/Data/End). A CPU instruction or a DMA never reaches
//    it, whatever its context says: on real platforms only the processor's
//    launch transactions are sent as locality 4 (AMD APM vol. 2, 15.27.5;
//    Intel's MLE developer's guide, "TPM usage"), and a locality the
//    chipset does not forward reads all ones and drops writes
//    (shared/spec/tpm.md, 1.1);
//  - localities 1-3: a platform access marked with that locality (SINIT's
//    locality-3 extends) always; a CPU or DMA access as the platform's
//    chipset model decides through the gate below (TXT opens 1 and 2 with
//    TXT.CMD.OPEN-LOCALITY1/2 and 3 only while an AC module runs; an AMD
//    svm platform forwards the fixed set its profile lists), or, on a platform without one, as the
//    TPM's own setting says (scenario tpm.localities_open, default 0 only).
#pragma once

#include "sim/device.h"

namespace dlsim {

class TpmLocalityGate {
 public:
  virtual ~TpmLocalityGate() = default;
  // Whether a CPU or DMA access `ctx` reaches `locality` (1..3).
  virtual bool forwards(const AccessContext& ctx, unsigned locality) const = 0;
};

// Where the chipset model puts its gate and the TPM model finds it, in
// whatever order the two install (the machine owns one; ModelHost gives it).
class TpmLocalityGateSlot {
 public:
  void set(const TpmLocalityGate* gate) { gate_ = gate; }
  const TpmLocalityGate* get() const { return gate_; }

 private:
  const TpmLocalityGate* gate_ = nullptr;
};

}  // namespace dlsim
