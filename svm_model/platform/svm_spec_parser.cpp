// The "svm" section of a scenario (see svm_spec_parser.h).
#include "svm_model/platform/svm_spec_parser.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "svm_model/cpu/svm_cpu_state.h"

namespace dlsim::svm {

SvmSpec parseSvmSpec(const JsonValue& section, const SvmProfileFinder& findProfile) {
  JsonObjectReader o = section.object({"profile", "vm_cr", "mmio_cfg_base_msr", "nb_cfg_msr"});
  SvmSpec s;
  const JsonValue profile = o.required("profile");
  const std::string name = profile.string(1, 64);
  try {
    s.profile = findProfile(name);
  } catch (const InputError& e) {
    profile.fail(e.what());
  }
  if (auto v = o.optional("vm_cr")) {
    s.vmCr = v->u64();
    if (s.vmCr & ~kVmCrValid)
      v->fail(hex(s.vmCr) + " sets reserved VM_CR bits " + hex(s.vmCr & ~kVmCrValid) +
              " (defined: 0 DPD, 1 R_INIT, 2 DIS_A20M, 3 LOCK, 4 SVMDIS)");
  }
  if (auto v = o.optional("mmio_cfg_base_msr")) {
    const uint64_t m = v->u64();
    if (m & ~kMmioCfgBaseValid)
      v->fail(hex(m) + " sets bits MSR 0xC001_0058 does not have " + hex(m & ~kMmioCfgBaseValid) +
              " (defined: 0 enable, 5:2 bus range, 47:20 base)");
    s.profile.mmioCfgBase = m;
  }
  if (auto v = o.optional("nb_cfg_msr")) s.profile.nbCfg = v->u64();
  o.finish();
  return s;
}

}  // namespace dlsim::svm
