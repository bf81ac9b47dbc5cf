// The AMD profile's CPUID (see svm_cpu.h, applySvmCpuid).
#include "cpu_model/cpuid_profile.h"
#include "sim/errors.h"
#include "svm_model/cpu/svm_cpu.h"

namespace dlsim::svm {

void applySvmCpuid(CpuidProfile& cpuid, const SvmProfile& profile, const std::string& where) {
  if (cpuid.vendor() != Vendor::Amd)
    throw InputError(where + ": profile \"" + profile.name +
                     "\" is an AMD (AuthenticAMD) platform: the scenario's /machine/vendor must be \"amd\"");
  cpuid.setSignature(profile.family, profile.model, profile.stepping);
  cpuid.setFeature("svm", true);
  cpuid.setFeature("skinit", profile.skinit);
  // Fn8000_000A: EAX[7:0] SVM revision, EBX number of ASIDs, EDX features.
  cpuid.setLeaf(kCpuidSvmLeaf, 0, CpuidLeaf{profile.svmRevision & 0xFF, profile.asids, 0, profile.svmFeatures});
}

}  // namespace dlsim::svm
