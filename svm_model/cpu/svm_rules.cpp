#include "svm_model/cpu/svm_rules.h"

namespace dlsim::svm::svm_rules {

const LaunchRule kStgiWhileRInit{
    "svm.stgi-while-r-init", "APM vol. 2 15.27.8, 15.28 (#SX)",
    "VM_CR.R_INIT is cleared before STGI, so that an INIT held or arriving after it resets the CPU instead of "
    "raising #SX"};

const std::vector<LaunchRule>& all() {
  static const std::vector<LaunchRule> rules{kStgiWhileRInit};
  return rules;
}

}  // namespace dlsim::svm::svm_rules
