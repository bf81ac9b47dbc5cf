// An unmodified TrenchBoot secure kernel loader (SKL) launched by SKINIT to
// its kernel hand-off: the repo's pre-launch driver (stub/amd) executes
// SKINIT on the SLB the "svm.handoff" member writes (docs/skl.md), SKL
// measures and jumps to the SKL test kernel (tests/guests/skl_test_kernel.asm),
// which prints its lines on COM1 and halts. Checked: the kernel's lines, and
// PCR 17/18 in both banks against svm_model/handoff/tests/skl_expected_pcrs.h
// computed here from the SKL file and the kernel bytes (Botan), never from
// dlsim's output. 1 CPU, and 2 CPUs (the AP parked by INIT).
//
// The SKL binary comes from $DLSIM_SKL (layout: $DLSIM_SKL_LAYOUT, default
// detect); unset, every test is skipped with how to build one.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "svm_model/handoff/tests/skl_expected_pcrs.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kHowToBuild =
    "DLSIM_SKL is not set: no SKL binary to run. Build one from TrenchBoot's public source and point "
    "DLSIM_SKL at its skl.bin:\n"
    "  git clone https://github.com/TrenchBoot/secure-kernel-loader && cd secure-kernel-loader\n"
    "  git checkout master   # tags2023 layout (tag list); branch slrt: slrt2024 (2024 SLRT)\n"
    "  make                  # -> skl.bin\n"
    "  (2025 layout, slrt2025: https://github.com/rossphilipson/secure-kernel-loader branch "
    "skl-loader-amdsl-v11)\n"
    "  DLSIM_SKL=$PWD/skl.bin [DLSIM_SKL_LAYOUT=tags2023|slrt2024|slrt2025] ctest -L skl";

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string hexOf(const std::vector<uint8_t>& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) s += {d[x >> 4], d[x & 15]};
  return s;
}

// SLB at 0x200000: the driver's SLB_BASE (stub/amd/skinit_driver.asm); the
// kernel at its SKL_KERNEL_BASE 0x1000000, entry label at +0x40.
constexpr uint32_t kKernelEntry = 0x40;

nlohmann::ordered_json scenario(int cpus, const std::string& skl, const std::string& layout,
                                const std::string& kernel, const dlsim::svm::testing::SklExpectedPcrs& pcrs) {
  using J = nlohmann::ordered_json;
  J s;
  s["name"] = "skl-launch-cpus-" + std::to_string(cpus);
  s["description"] = "An unmodified SKL (" + skl + ") launched by SKINIT to the test kernel.";
  s["machine"] = {{"vendor", "amd"},
                  {"cpus", cpus},
                  {"memory", J::array({J{{"base", "0x0"}, {"size", "0xa0000"}, {"name", "low"}},
                                       J{{"base", "0x100000"}, {"size", "0x1000000"}, {"name", "main"}}})},
                  {"max_instructions", 50000000}};
  s["tpm"] = {{"interface", "tis"}, {"banks", J::array({"sha1", "sha256"})}, {"startup", "clear"}};
  s["svm"] = {{"profile", "apu2-gx412tc"},
              {"handoff",
               {{"slb", skl},
                {"slb_base", "0x200000"},
                {"layout", layout},
                {"kernel", {{"kind", "multiboot2"}, {"file", kernel}, {"base", "0x1000000"}, {"entry_offset", "0x40"}}},
                {"boot_params_base", "0x90000"},
                {"event_log", {{"base", "0x400000"}, {"size", "0x10000"}}}}}};
  s["load"] = J::array({J{{"type", "flat"}, {"file", "@stub/amd/skinit_driver.bin"}, {"address", "0x7c00"}}});
  s["entry"] = {{"mode", "real"}, {"address", "0x7c00"}};
  s["expect"]["serial"]["contains"] = J::array({"skl-kernel: entered\n", "skl-kernel: magic ok\n"});
  s["expect"]["pcrs"]["sha1"] = {{"17", hexOf(pcrs.sha1.pcr17)}, {"18", hexOf(pcrs.sha1.pcr18)}};
  s["expect"]["pcrs"]["sha256"] = {{"17", hexOf(pcrs.sha256.pcr17)}, {"18", hexOf(pcrs.sha256.pcr18)}};
  return s;
}

class SklLaunch : public ::testing::TestWithParam<int> {};

TEST_P(SklLaunch, ReachesTheKernelWithTheExpectedPcrs) {
  const char* skl = std::getenv("DLSIM_SKL");
  if (!skl || !*skl) GTEST_SKIP() << kHowToBuild;
  const char* layoutEnv = std::getenv("DLSIM_SKL_LAYOUT");
  const std::string layout = layoutEnv && *layoutEnv ? layoutEnv : "detect";
  const std::string kernelPath = DLSIM_BINARY_DIR "/guests/skl_test_kernel.bin";
  const std::vector<uint8_t> slb = readFile(skl);
  const std::vector<uint8_t> kernel = readFile(kernelPath);
  ASSERT_GE(slb.size(), 4u) << skl << ": not an SKL image";
  ASSERT_FALSE(kernel.empty()) << "build the guest: cmake --build build --target guest_skl_test_kernel";
  const auto pcrs = dlsim::svm::testing::expectedSklPcrs(slb, kKernelEntry, kernel);

  const int cpus = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("dlsim-skl-" + std::to_string(::getpid()) + "-" + std::to_string(cpus));
  fs::create_directories(dir);
  const fs::path scen = dir / "skl.json", report = dir / "report.json";
  std::ofstream(scen) << scenario(cpus, fs::absolute(skl).string(), layout, kernelPath, pcrs).dump(2);
  const std::string cmd = std::string("'") + DLSIM_BIN + "' run --json '" + report.string() + "' '" + scen.string() +
                          "' > '" + (dir / "out.txt").string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream out(dir / "out.txt");
  std::stringstream text;
  text << out.rdbuf();
  EXPECT_EQ(rc, 0) << "dlsim run " << scen.string() << " (exit " << rc << "):\n" << text.str();
  if (rc == 0) fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Cpus, SklLaunch, ::testing::Values(1, 2),
                         [](const auto& info) { return "cpus" + std::to_string(info.param); });

}  // namespace
