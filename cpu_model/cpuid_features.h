// Names of CPUID feature bits that scenarios can add or remove, and which of
// them dlsim emulates itself (the rest must be executable by the engine).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim {

enum class CpuidReg { Eax, Ebx, Ecx, Edx };

struct CpuidFeature {
  const char* name;
  uint32_t leaf;
  uint32_t subleaf;
  CpuidReg reg;
  uint8_t bit;
  bool emulated;  // implemented by dlsim's interception, not by Unicorn
};

const std::vector<CpuidFeature>& cpuidFeatures();
const CpuidFeature* findCpuidFeature(const std::string& name);

}  // namespace dlsim
