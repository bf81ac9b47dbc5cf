// The strict launch rules of the SVM CPU side (sim/launch_rules.h), with
// their APM references. The SKINIT part adds its own (svm_model/skinit/);
// the platform model lists both (SvmPlatformModel::launchRules).
#pragma once
#include <vector>

#include "sim/launch_rules.h"

namespace dlsim::svm::svm_rules {

// STGI while VM_CR.R_INIT is still set: a pending or later INIT then raises
// #SX instead of resetting the CPU (Linux clears R_INIT first).
extern const LaunchRule kStgiWhileRInit;

// Every rule above.
const std::vector<LaunchRule>& all();

}  // namespace dlsim::svm::svm_rules
