// An unmodified TrenchBoot secure kernel loader (SKL) launched by SKINIT to
// its kernel hand-off: the repo's pre-launch driver (stub/amd) executes
// SKINIT on the SLB the "svm.handoff" member writes (docs/skl.md), SKL
// measures and jumps to the SKL test kernel (tests/guests/skl_test_kernel.asm),
// which prints its lines on COM1 and halts. Checked: the kernel's lines, and
// PCR 17/18 in both banks computed here from the SKL file, the kernel bytes
// and what the SKL's source says it measures (skl_expected_pcrs.h, Botan),
// never from dlsim's output. 1 CPU, and 2 CPUs (the AP parked by INIT).
// SKL's DRTM log (the hand-off's log area; `dlsim run --event-log-out`) is
// read and replayed here (skl_log_replay.h, Botan): each event's digests
// against what the test computes from the bytes SKL measures, PCR 17
// replayed against the value computed here, and every PCR the log extends
// against the TPM's final value in the report.
//
// The scenario is scenarios/amd/skl-launch-cpus-N.json (with the expected
// PCRs added here); the SKL binary is $DLSIM_SKL_DIR/skl.bin, "@skl/skl.bin"
// (layout: $DLSIM_SKL_LAYOUT, default detect); unset, every test is skipped
// with how to build one (kSklBuildHint, the text dlsim prints).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/input_path.h"
#include "svm_model/handoff/tests/skl_expected_pcrs.h"
#include "svm_model/handoff/tests/skl_log_replay.h"

namespace {

namespace fs = std::filesystem;

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

uint16_t u16At(const std::vector<uint8_t>& b, size_t o) { return o + 1 < b.size() ? uint16_t(b[o] | b[o + 1] << 8) : 0; }

// The layout, read here from the image (docs/skl.md's table), unless
// $DLSIM_SKL_LAYOUT names it.
std::string layoutOf(const std::vector<uint8_t>& slb) {
  const char* env = std::getenv("DLSIM_SKL_LAYOUT");
  if (env && *env) return env;
  static const uint8_t uuid[16] = {0x78, 0xf1, 0x26, 0x8e, 0x04, 0x92, 0x11, 0xe9,
                                   0x83, 0x2a, 0xc8, 0x5b, 0x76, 0xc4, 0xcc, 0x02};
  auto uuidAt = [&](size_t o) { return o + 16 <= slb.size() && std::equal(uuid, uuid + 16, slb.begin() + o); };
  if (uuidAt(u16At(slb, 0x42))) return "slrt2025";
  const uint16_t bld = u16At(slb, 6);
  if (uuidAt(u16At(slb, 4)) && bld % 4 == 0 && bld >= u16At(slb, 2) && 0x10000 - bld >= 0x1000) return "slrt2024";
  return "tags2023";
}

// What the SKL measures, from its source:
// - slrt2024, slrt2025 (main.c: "DLME entry offset", "DLME"): PCR 17 gets the
//   u32 entry offset and [dlme_base, +dlme_size): skl_expected_pcrs.h;
// - tags2023 (master, skl_multiboot2): PCR 17 gets [kernel_entry,
//   +kernel_size) with the tag's absolute entry, i.e. the kernel from +0x40
//   and 0x40 bytes of the (zero) memory after it, and no entry offset. Its
//   PCR 18 extend hashes mbi_len bytes at `&tag`, the address of a local
//   pointer (SKL's own stack), which no independent computation can know:
//   PCR 18 is not checked for tags2023.
struct Expected {
  dlsim::svm::testing::SklExpectedPcrs pcrs;
  bool checkPcr18 = true;
  // SKL's log holds every PCR 17 extend as the TPM got it. Not for tags2023
  // (no SKINIT event: scenario() says why), nor for an SKL whose measured
  // length is not a multiple of 4: its "SKINIT" event carries H(SL[0:len])
  // (event_log.c) while the CPU extends the image zero-padded to a multiple
  // of 4 (amd-skinit.md 1.3; SKL aligns the length since commit 5a0379f, the
  // local `slrt` build, length 0x2c0e, predates it).
  bool logReplaysPcr17 = true;
};

Expected expectedFor(const std::string& layout, const std::vector<uint8_t>& slb, const std::vector<uint8_t>& kernel) {
  using namespace dlsim::svm::testing;
  Expected e;
  if (layout != "tags2023") {
    e.pcrs = expectedSklPcrs(slb, kKernelEntry, kernel);
    e.logReplaysPcr17 = u16At(slb, 2) % 4 == 0;
    return e;
  }
  e.logReplaysPcr17 = false;
  std::vector<uint8_t> measured(kernel.begin() + kKernelEntry, kernel.end());
  measured.resize(kernel.size(), 0);
  const uint32_t len = u16At(slb, 2);
  std::vector<uint8_t> sl((len + 3) / 4 * 4, 0);
  std::copy(slb.begin(), slb.begin() + std::min<size_t>(len, slb.size()), sl.begin());
  auto bank = [&](const std::string& alg, size_t n) {
    SklPcrBank b{std::vector<uint8_t>(n, 0), std::vector<uint8_t>(n, 0)};
    sklTestExtend(alg, b.pcr17, sl);
    sklTestExtend(alg, b.pcr17, measured);
    return b;
  };
  e.pcrs.sha1 = bank("SHA-1", 20);
  e.pcrs.sha256 = bank("SHA-256", 32);
  e.checkPcr18 = false;
  return e;
}

// scenarios/amd/skl-launch-cpus-N.json (what `dlsim run` runs for a user:
// "@skl/skl.bin" from $DLSIM_SKL_DIR, the layout detected), with what this
// test computes from the SKL's bytes added to its expectations, and the
// layout $DLSIM_SKL_LAYOUT names, if any.
nlohmann::ordered_json scenario(int cpus, const std::string& layoutOverride, const Expected& e) {
  const std::string file = std::string(DLSIM_SOURCE_DIR) + "/scenarios/amd/skl-launch-cpus-" + std::to_string(cpus) + ".json";
  std::ifstream in(file);
  nlohmann::ordered_json s = nlohmann::ordered_json::parse(in, nullptr, false);
  if (s.is_discarded()) {
    ADD_FAILURE() << file << ": missing or not JSON";
    return s;
  }
  s.erase("$schema");  // the copy runs from a temporary directory
  if (!layoutOverride.empty()) s["svm"]["handoff"]["layout"] = layoutOverride;
  const auto& pcrs = e.pcrs;
  s["expect"]["pcrs"]["sha1"]["17"] = hexOf(pcrs.sha1.pcr17);
  s["expect"]["pcrs"]["sha256"]["17"] = hexOf(pcrs.sha256.pcr17);
  // The TPM model parses SKL's log where the hand-off put it (tpm.event_log)
  // and replays it against its PCRs. tags2023: SKL master logs its SKINIT
  // event from the boot loader's SKL_HASH tags, which GRUB's 2023 list (and
  // the hand-off builder) does not carry, so its log lacks the first PCR 17
  // extend and cannot replay to the TPM's PCR 17.
  if (e.logReplaysPcr17) s["expect"]["event_log_replays"] = true;
  if (e.checkPcr18) {
    s["expect"]["pcrs"]["sha1"]["18"] = hexOf(pcrs.sha1.pcr18);
    s["expect"]["pcrs"]["sha256"]["18"] = hexOf(pcrs.sha256.pcr18);
  }
  return s;
}

// SKL's log as --event-log-out wrote it, replayed here. Checked: the events'
// digests SKL's source says it logs (slrt: "SKINIT" = H(SL[0:length]),
// "DLME entry offset" = H(u32 entry), "DLME" = H(kernel)); PCR 17 replayed
// equals the value computed here (slrt layouts: the log holds every
// extend); every PCR the log extends equals the TPM's final value in the
// report (tags2023's PCR 18, whose measured bytes lie on SKL's stack, is
// checked this way only; PCR 17 only when Expected::logReplaysPcr17).
// Returns whether the test has no failure.
bool checkEventLog(const std::vector<uint8_t>& log, const std::vector<uint8_t>& reportBytes, const std::string& layout,
                   const std::vector<uint8_t>& slb, const std::vector<uint8_t>& kernel, const Expected& e) {
  using namespace dlsim::svm::testing;
  EXPECT_FALSE(log.empty()) << "--event-log-out wrote no log";
  if (log.empty()) return false;
  const SklReplay r = replaySklTcgLog(log);
  EXPECT_EQ(r.error, "");
  EXPECT_FALSE(r.events.empty()) << "the log holds no event";
  if (layout != "tags2023") {
    const std::vector<uint8_t> sl(slb.begin(), slb.begin() + std::min<size_t>(u16At(slb, 2), slb.size()));
    const std::vector<uint8_t> entry = {uint8_t(kKernelEntry), 0, 0, 0};
    const SklTestEvent want[] = {sklTestEvent("SKINIT", sl), sklTestEvent("DLME entry offset", entry),
                                 sklTestEvent("DLME", kernel)};
    EXPECT_EQ(r.events.size(), 3u);
    for (size_t i = 0; i < std::min<size_t>(3, r.events.size()); ++i) {
      EXPECT_EQ(r.events[i].data, want[i].data) << "event " << i;
      EXPECT_EQ(r.events[i].pcr, 17u) << want[i].data;
      EXPECT_EQ(hexOf(r.events[i].sha1), hexOf(want[i].sha1)) << want[i].data;
      EXPECT_EQ(hexOf(r.events[i].sha256), hexOf(want[i].sha256)) << want[i].data;
    }
    // Unaligned length: the replay must differ (the log's SKINIT digest is not
    // the CPU's), else the model hashed the unpadded image.
    const auto check = [&](const auto& replayed, const std::vector<uint8_t>& want, const char* bank) {
      const std::string got = replayed.count(17) ? hexOf(replayed.at(17)) : "";
      if (e.logReplaysPcr17) {
        EXPECT_EQ(got, hexOf(want)) << "PCR 17 replayed (" << bank << ")";
      } else {
        EXPECT_NE(got, hexOf(want)) << "PCR 17 replayed (" << bank << ") with an unaligned SKL length";
      }
    };
    check(r.sha1, e.pcrs.sha1.pcr17, "SHA-1");
    check(r.sha256, e.pcrs.sha256.pcr17, "SHA-256");
  }
  const auto report = nlohmann::json::parse(reportBytes, nullptr, false);
  EXPECT_FALSE(report.is_discarded()) << "the JSON report does not parse";
  if (!report.is_discarded()) {
    const auto& run = report.contains("runs") ? report["runs"][0] : report;
    for (const auto& [bank, values] : {std::pair{"sha1", &r.sha1}, std::pair{"sha256", &r.sha256}})
      for (const auto& [pcr, v] : *values)
        if (e.logReplaysPcr17 || pcr != 17) {
          EXPECT_EQ(hexOf(v), run["pcrs"][bank].value(std::to_string(pcr), std::string("(none)")))
              << bank << " PCR " << pcr << ": the log's replay and the TPM's value";
        }
    EXPECT_EQ(run["svm"]["event_log"].value("state", std::string("(none)")), "written");
  }
  return !::testing::Test::HasFailure();
}

class SklLaunch : public ::testing::TestWithParam<int> {};

TEST_P(SklLaunch, ReachesTheKernelWithTheExpectedPcrs) {
  const char* sklDir = std::getenv("DLSIM_SKL_DIR");
  if (!sklDir || !*sklDir) GTEST_SKIP() << "DLSIM_SKL_DIR is not set: no SKL build to run.\n" << dlsim::kSklBuildHint;
  const std::string skl = (fs::path(sklDir) / "skl.bin").string();
  const std::string kernelPath = DLSIM_BINARY_DIR "/guests/skl_test_kernel.bin";
  const std::vector<uint8_t> slb = readFile(skl);
  const std::vector<uint8_t> kernel = readFile(kernelPath);
  ASSERT_GE(slb.size(), 4u) << skl << ": missing or not an SKL image ($DLSIM_SKL_DIR/skl.bin)";
  ASSERT_FALSE(kernel.empty()) << "build the guest: cmake --build build --target guest_skl_test_kernel";
  ASSERT_GT(kernel.size(), kKernelEntry);
  const char* layoutEnv = std::getenv("DLSIM_SKL_LAYOUT");
  const std::string layout = layoutOf(slb);
  const Expected expected = expectedFor(layout, slb, kernel);

  const int cpus = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("dlsim-skl-" + std::to_string(::getpid()) + "-" + std::to_string(cpus));
  fs::create_directories(dir);
  const fs::path scen = dir / "skl.json", report = dir / "report.json", log = dir / "skl.log";
  const auto doc = scenario(cpus, layoutEnv ? layoutEnv : "", expected);
  ASSERT_FALSE(doc.is_discarded());
  std::ofstream(scen) << doc.dump(2);
  const std::string cmd = std::string("'") + DLSIM_BIN + "' run --json '" + report.string() + "' --event-log-out '" + log.string() + "' '" + scen.string() +
                          "' > '" + (dir / "out.txt").string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream out(dir / "out.txt");
  std::stringstream text;
  text << out.rdbuf();
  EXPECT_EQ(rc, 0) << "dlsim run " << scen.string() << " (exit " << rc << "):\n" << text.str();
  const bool logOk = checkEventLog(readFile(log.string()), readFile(report.string()), layout, slb, kernel, expected);
  if (rc == 0 && logOk) fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Cpus, SklLaunch, ::testing::Values(1, 2),
                         [](const auto& info) { return "cpus" + std::to_string(info.param); });

}  // namespace
