// The "svm" scenario section, validated: the AMD platform profile and the
// SVM MSRs' values at power-on.
#pragma once
#include <cstdint>

#include "sim/model_api/platform_model.h"
#include "svm_model/profiles/svm_profile.h"

namespace dlsim::svm {

struct SvmSpec : ModelSpec {
  SvmProfile profile;
  // VM_CR on every CPU after power-up and reset, as the BIOS left it (bits
  // 4:0; e.g. 0x18 = LOCK | SVMDIS where SVM is disabled in the setup).
  uint64_t vmCr = 0;
  // Firmware's MSR 0xC001_0058 / NB_CFG values when the scenario gives them
  // (the profile's otherwise): the profile with these applied is `profile`.
};

}  // namespace dlsim::svm
