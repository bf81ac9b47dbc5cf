// The SKL launch scenario (see skl_scenario.h).
#include "bench/skl_scenario.h"

#include <cstdio>

namespace dlsim::bench {

nlohmann::ordered_json sklLaunchScenario(int cpus, const std::string& sklPath, const std::string& layout,
                                         const std::string& kernelPath) {
  using J = nlohmann::ordered_json;
  char base[32], entry[32];
  std::snprintf(base, sizeof base, "0x%llx", (unsigned long long)kSklKernelBase);
  std::snprintf(entry, sizeof entry, "0x%llx", (unsigned long long)kSklKernelEntryOffset);
  J s;
  s["name"] = "bench-skl-launch-cpus-" + std::to_string(cpus);
  s["description"] = "dlsim-skl-bench: an unmodified SKL (" + sklPath + ") launched by SKINIT to the test kernel.";
  s["machine"] = {{"vendor", "amd"},
                  {"cpus", cpus},
                  {"memory", J::array({J{{"base", "0x0"}, {"size", "0xa0000"}, {"name", "low"}},
                                       J{{"base", "0x100000"}, {"size", "0x1000000"}, {"name", "main"}}})},
                  {"max_instructions", 200000000},
                  // SKL is built with -march=btver2 (Jaguar, the GX-412TC), which has MOVBE.
                  {"cpuid", {{"features", {{"add", J::array({"movbe"})}}}}}};
  s["tpm"] = {{"interface", "tis"}, {"banks", J::array({"sha1", "sha256"})}, {"startup", "clear"}};
  s["svm"] = {{"profile", "apu2-gx412tc"},
              {"handoff",
               {{"slb", sklPath},
                {"slb_base", "0x200000"},
                {"layout", layout},
                {"kernel", {{"kind", "multiboot2"}, {"file", kernelPath}, {"base", base}, {"entry_offset", entry}}},
                {"boot_params_base", "0x90000"},
                {"event_log", {{"base", "0x400000"}, {"size", "0x10000"}}}}}};
  s["load"] = J::array({J{{"type", "flat"}, {"file", "@stub/amd/skinit_driver.bin"}, {"address", "0x7c00"}}});
  s["entry"] = {{"mode", "real"}, {"address", "0x7c00"}};
  return s;
}

}  // namespace dlsim::bench
