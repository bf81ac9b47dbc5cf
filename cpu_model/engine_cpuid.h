// What CPUID the Unicorn engine itself implements (its qemu64 model), read
// once by executing CPUID in a scratch engine. CPUID profiles are built on
// top of it so that every feature advertised to the guest can really run.
#pragma once
#include "cpu_model/cpuid_profile.h"

namespace dlsim {

const CpuidLeafMap& engineCpuid();

}  // namespace dlsim
