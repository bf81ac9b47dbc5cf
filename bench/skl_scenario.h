// The scenario dlsim-skl-bench runs: the same launch as tests/skl's
// (tests/skl/skl_launch_test.cpp, which also checks the PCRs): the repo's
// pre-launch driver (stub/amd/skinit_driver.bin at 0x7C00) executes SKINIT
// on the SLB at 0x200000 that the "svm.handoff" member writes from an SKL
// binary, with the SKL test kernel (Multiboot2, base 0x1000000, entry +0x40)
// as the DLME. Keep the two in step when the launch changes.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace dlsim::bench {

inline constexpr uint64_t kSklKernelBase = 0x1000000;
inline constexpr uint64_t kSklKernelEntryOffset = 0x40;

// layout: "detect", "tags2023", "slrt2024" or "slrt2025".
nlohmann::ordered_json sklLaunchScenario(int cpus, const std::string& sklPath, const std::string& layout,
                                         const std::string& kernelPath);

}  // namespace dlsim::bench
