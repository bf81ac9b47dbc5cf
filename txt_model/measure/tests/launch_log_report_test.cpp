// The TXT platform model's observation hands SINIT's event log to
// `dlsim run --event-log-out` (ModelObservation::eventLogBytes): the bytes
// from the EVENT_LOG_POINTER2_1 buffer up to next_record_offset, found
// through TXT.HEAP.BASE/SIZE after the run.
#include <gtest/gtest.h>

#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {
namespace {

constexpr uint64_t kHeap = 0x200000, kLog = 0x300000;  // HEAP.SIZE 0x10000 (the section)

void writeHeap(GuestMemory& mem, uint32_t next) {
  heap::BiosData bios;
  bios.version = 6;
  bios.numLogicalProcs = 1;
  heap::OsSinitData os;
  os.version = 7;
  os.elements = {heap::makeEventLogPointer2_1({kLog, 0x1000, 0, next}), heap::makeEnd()};
  auto bytes = heap::buildTxtHeap(bios, std::vector<uint8_t>(0x40, 0), os);
  ASSERT_TRUE(mem.write(kHeap, bytes.data(), bytes.size()));
}

TEST(LaunchLogReport, TheObservationCarriesTheHeapLogUpToNextRecordOffset) {
  MachineConfig c;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x400000, "main"}};
  Machine m(c);
  static const TxtPlatformModel model([](const std::string& n) { return findTxtProfile(n); });
  nlohmann::json doc = nlohmann::json::parse(
      R"({"profile": "cfl-client-tpm2", "registers": {"heap_base": "0x200000", "heap_size": "0x10000"}})");
  JsonValue v(doc, "s.json", "/txt");
  auto spec = model.parseSection(v);
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  auto installed = model.install(m, *spec, ctx);

  // Before SINIT logged anything: no file content.
  writeHeap(m.memory(), 0);
  EXPECT_EQ(installed->observe(m.memory())->eventLogBytes(), nullptr);

  // A log of 0x45 bytes (its contents do not matter to the reader).
  std::vector<uint8_t> log(0x45);
  for (size_t i = 0; i < log.size(); ++i) log[i] = uint8_t(i + 1);
  ASSERT_TRUE(m.memory().write(kLog, log.data(), log.size()));
  writeHeap(m.memory(), 0x45);
  auto obs = installed->observe(m.memory());
  ASSERT_NE(obs->eventLogBytes(), nullptr);
  EXPECT_EQ(*obs->eventLogBytes(), log);
}

}  // namespace
}  // namespace dlsim::txt
