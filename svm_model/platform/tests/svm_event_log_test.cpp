// SKL's DRTM log in the SVM observation (svm_observation.h "event_log"):
// a guest of this repo writes a log the way SKL does into the area the
// hand-off names (the hand-off's SKL is a synthetic image; the guest stands
// in for it), and the report shows where it is and how long, or, for a
// guest that writes garbage lengths, why it is malformed, and
// --event-log-out gets the bytes only when they are a log.
#include <gtest/gtest.h>

#include <memory>

#include "cpu_model/testkit/assemble.h"
#include "sim/scenario/json_reader.h"
#include "svm_model/cpu/tests/svm_rig.h"
#include "svm_model/handoff/tests/skl_log_replay.h"
#include "svm_model/platform/svm_observation.h"
#include "svm_model/platform/svm_platform_model.h"
#include "svm_model/platform/tests/skl_scenario_files.h"
#include "svm_model/slb/tests/skl_sample_image.h"
#include "svm_model/slb/skl_image.h"

namespace dlsim::svm {
namespace {

using namespace dlsim::svm::testing;

constexpr uint64_t kLogBase = 0x400000;
constexpr uint32_t kLogSize = 0x1000;

// A slrt2024 SKL image (length 0x2000, skl_info at 0x1f00, bootloader data
// at 0x2000) and a kernel in a directory of their own.
SklImage logTestSkl() {
  SklImage s = test::sampleSklImage(SklLayout::Slrt2024);
  s.length = 0x2000;
  s.sklInfoOffset = 0x1f00;
  s.bootloaderDataOffset = 0x2000;
  return s;
}
struct Files : test::SklScenarioFiles {
  Files() : SklScenarioFiles("svm-event-log", logTestSkl()) {}
};

std::shared_ptr<const SvmSpec> parse(const Files& f) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(R"({"profile": "apu2-gx412tc", "handoff": {
     "slb": "skl.bin", "slb_base": "0x200000", "layout": "slrt2024",
     "kernel": {"kind": "multiboot2", "file": "kernel.bin", "base": "0x300000", "entry_offset": "0x40"},
     "boot_params_base": "0x90000", "event_log": {"base": "0x400000", "size": "0x1000"}}})")));
  return std::dynamic_pointer_cast<const SvmSpec>(
      svmPlatformModel().parseSection(JsonValue(*docs.back(), f.scenario(), "/svm")));
}

// Runs a guest that copies `log` to the log area and halts; the observation.
std::shared_ptr<const SvmObservation> runGuestWriting(const std::vector<uint8_t>& log) {
  Files f;
  auto spec = parse(f);
  MachineConfig c = dlsim::test::smallMachine(1, 0x400000);  // main RAM 1..5 MiB
  c.cpuid.vendor = Vendor::Amd;
  Machine m(c);
  InstallContext ctx;
  ctx.scenarioFile = f.scenario();
  auto installed = svmPlatformModel().install(m, *spec, ctx);
  std::string src = "bits 32\norg 0x100000\n  mov esi, log\n  mov edi, 0x400000\n  mov ecx, " +
                    std::to_string(log.size()) + "\n  cld\n  rep movsb\n  hlt\nlog:\n";
  for (uint8_t b : log) src += "  db " + std::to_string(b) + "\n";
  dlsim::test::loadAndBoot(m, dlsim::test::assemble(src), dlsim::test::kMainRam, EntryMode::Protected);
  dlsim::test::runToStop(m);
  return std::dynamic_pointer_cast<const SvmObservation>(installed->observe(m.memory()));
}

std::vector<uint8_t> guestLog() {
  std::vector<uint8_t> log = sklTestTcgLog(kLogBase, kLogSize,
                                           {sklTestEvent("SKINIT", std::vector<uint8_t>(0x2000, 1)),
                                            sklTestEvent("DLME", std::vector<uint8_t>(0x100, 0x90))});
  log.resize(0x100);  // the records; the rest of the area stays zero
  return log;
}

TEST(SvmEventLog, TheGuestsLogIsReportedAndHandedOut) {
  const std::vector<uint8_t> log = guestLog();
  auto o = runGuestWriting(log);
  ASSERT_TRUE(o && o->eventLog);
  const SklEventLog& l = *o->eventLog;
  EXPECT_EQ(l.area, (SklLogArea{"SLRT LOG_INFO", kLogBase, kLogSize, 2}));
  ASSERT_EQ(l.state, SklLogState::Written) << l.error;
  const uint64_t used = 89 + 2 * 72 + 6 + 4;
  EXPECT_EQ(l.used, used);
  ASSERT_TRUE(o->eventLogBytes());
  EXPECT_EQ(*o->eventLogBytes(), std::vector<uint8_t>(log.begin(), log.begin() + long(used)));
  nlohmann::json run;
  o->addToJson(run);
  EXPECT_EQ(run["svm"]["event_log"],
            (nlohmann::json{{"where", "SLRT LOG_INFO"}, {"base", "0x400000"}, {"size", "0x1000"}, {"format", 2},
                            {"state", "written"}, {"used", used}}));
  EXPECT_NE(o->text().find("  svm event log at 0x400000 (SLRT LOG_INFO, format 2, area 0x1000): 0xf3 bytes written"),
            std::string::npos)
      << o->text();
}

TEST(SvmEventLog, AGuestsBadLengthIsAReportEntry) {
  std::vector<uint8_t> log = guestLog();
  log[85] = 0xff, log[86] = 0xff, log[87] = 0xff, log[88] = 0xff;  // next_record_offset
  auto o = runGuestWriting(log);
  ASSERT_TRUE(o && o->eventLog);
  EXPECT_EQ(o->eventLog->state, SklLogState::Malformed);
  EXPECT_EQ(o->eventLogBytes(), nullptr);
  nlohmann::json run;
  o->addToJson(run);
  EXPECT_EQ(run["svm"]["event_log"]["state"], "malformed");
  EXPECT_NE(run["svm"]["event_log"]["error"].get<std::string>().find("next_record_offset 0xffffffff"),
            std::string::npos);
  EXPECT_NE(o->text().find("malformed: vendor info at 0x45: next_record_offset 0xffffffff"), std::string::npos)
      << o->text();
}

TEST(SvmEventLog, NothingWrittenIsEmpty) {
  auto o = runGuestWriting({0});
  ASSERT_TRUE(o && o->eventLog);
  EXPECT_EQ(o->eventLog->state, SklLogState::Empty);
  EXPECT_EQ(o->eventLogBytes(), nullptr);
  EXPECT_NE(o->text().find("empty (no header event: SKL wrote no log)"), std::string::npos) << o->text();
}

}  // namespace
}  // namespace dlsim::svm
