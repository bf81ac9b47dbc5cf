// The AMD chipset's side of TPM localities 1..3: which ones CPU and DMA
// accesses reach (the profile's chipset.tpm_localities). Installed with the
// svm platform so the scenario's tpm.localities_open does not decide for it
// (sim/tpm_locality_gate.h). Locality 4 stays SKINIT's alone.
#pragma once

#include "sim/model_api/model_host.h"
#include "svm_model/profiles/svm_profile.h"

namespace dlsim::svm {

void installSvmTpmGate(ModelHost& host, const SvmProfile& profile);

}  // namespace dlsim::svm
