#include "cpu_model/cpuid_features.h"

namespace dlsim {

const std::vector<CpuidFeature>& cpuidFeatures() {
  using R = CpuidReg;
  static const std::vector<CpuidFeature> table = {
      // leaf 1 EDX
      {"fpu", 1, 0, R::Edx, 0, false}, {"vme", 1, 0, R::Edx, 1, false}, {"de", 1, 0, R::Edx, 2, false},
      {"pse", 1, 0, R::Edx, 3, false}, {"tsc", 1, 0, R::Edx, 4, true}, {"msr", 1, 0, R::Edx, 5, true},
      {"pae", 1, 0, R::Edx, 6, false}, {"mce", 1, 0, R::Edx, 7, false}, {"cx8", 1, 0, R::Edx, 8, false},
      {"apic", 1, 0, R::Edx, 9, true}, {"sep", 1, 0, R::Edx, 11, false}, {"mtrr", 1, 0, R::Edx, 12, false},
      {"pge", 1, 0, R::Edx, 13, false}, {"mca", 1, 0, R::Edx, 14, false}, {"cmov", 1, 0, R::Edx, 15, false},
      {"pat", 1, 0, R::Edx, 16, false}, {"pse36", 1, 0, R::Edx, 17, false}, {"clflush", 1, 0, R::Edx, 19, false},
      {"mmx", 1, 0, R::Edx, 23, false}, {"fxsr", 1, 0, R::Edx, 24, false}, {"sse", 1, 0, R::Edx, 25, false},
      {"sse2", 1, 0, R::Edx, 26, false}, {"ht", 1, 0, R::Edx, 28, true},
      // leaf 1 ECX
      {"sse3", 1, 0, R::Ecx, 0, false}, {"pclmulqdq", 1, 0, R::Ecx, 1, false},
      {"monitor", 1, 0, R::Ecx, 3, true}, {"vmx", 1, 0, R::Ecx, 5, true}, {"smx", 1, 0, R::Ecx, 6, true},
      {"ssse3", 1, 0, R::Ecx, 9, false}, {"cx16", 1, 0, R::Ecx, 13, false}, {"sse4_1", 1, 0, R::Ecx, 19, false},
      {"sse4_2", 1, 0, R::Ecx, 20, false}, {"x2apic", 1, 0, R::Ecx, 21, true}, {"movbe", 1, 0, R::Ecx, 22, true},
      {"popcnt", 1, 0, R::Ecx, 23, true}, {"tsc_deadline", 1, 0, R::Ecx, 24, true}, {"aes", 1, 0, R::Ecx, 25, false},
      {"xsave", 1, 0, R::Ecx, 26, false}, {"avx", 1, 0, R::Ecx, 28, false}, {"rdrand", 1, 0, R::Ecx, 30, true},
      {"hypervisor", 1, 0, R::Ecx, 31, true},
      // leaf 7.0 EBX / ECX
      {"fsgsbase", 7, 0, R::Ebx, 0, false}, {"bmi1", 7, 0, R::Ebx, 3, true}, {"avx2", 7, 0, R::Ebx, 5, false},
      {"smep", 7, 0, R::Ebx, 7, false}, {"bmi2", 7, 0, R::Ebx, 8, false}, {"erms", 7, 0, R::Ebx, 9, false},
      {"invpcid", 7, 0, R::Ebx, 10, false}, {"rdseed", 7, 0, R::Ebx, 18, true}, {"adx", 7, 0, R::Ebx, 19, false},
      {"smap", 7, 0, R::Ebx, 20, false}, {"clflushopt", 7, 0, R::Ebx, 23, false}, {"sha", 7, 0, R::Ebx, 29, false},
      // extended leaves
      {"lahf_lm", 0x80000001, 0, R::Ecx, 0, false}, {"svm", 0x80000001, 0, R::Ecx, 2, true},
      {"abm", 0x80000001, 0, R::Ecx, 5, true}, {"sse4a", 0x80000001, 0, R::Ecx, 6, false},
      {"skinit", 0x80000001, 0, R::Ecx, 12, true},
      {"syscall", 0x80000001, 0, R::Edx, 11, false}, {"nx", 0x80000001, 0, R::Edx, 20, false},
      {"pdpe1gb", 0x80000001, 0, R::Edx, 26, false}, {"rdtscp", 0x80000001, 0, R::Edx, 27, true},
      {"lm", 0x80000001, 0, R::Edx, 29, false},
      {"invariant_tsc", 0x80000007, 0, R::Edx, 8, true},
  };
  return table;
}

const CpuidFeature* findCpuidFeature(const std::string& name) {
  for (const auto& f : cpuidFeatures())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace dlsim
