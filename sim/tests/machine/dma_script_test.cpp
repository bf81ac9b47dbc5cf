// Scripted DMA (scenario "dma"): steps at a virtual time and at a CPU
// reaching an address, through the machine's DMA port with its protections,
// and the outcome of each (landed, blocked by which protection and range,
// not RAM, not run; the bytes a read got).
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/machine/dma_script.h"
#include "sim/machine/machine.h"
#include "sim/machine/runner.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

using test::assemble;

// Blocks every access touching [base, base + size) and names the range.
class RangeGuard : public DmaProtection {
 public:
  RangeGuard(uint64_t base, uint64_t size) : base_(base), size_(size) {}
  std::string name() const override { return "guard"; }
  bool allow(uint32_t, uint64_t gpa, uint64_t len, bool) override {
    return gpa + len <= base_ || base_ + size_ <= gpa;
  }
  std::optional<DmaRegion> regionOf(uint64_t, uint64_t) const override { return DmaRegion{"GUARDED", base_, size_}; }

 private:
  uint64_t base_, size_;
};

DmaStepSpec writeAt(uint64_t instructions, uint64_t address, std::vector<uint8_t> bytes, uint32_t rid = 0x10) {
  DmaStepSpec s;
  s.atInstructions = instructions;
  s.requester = rid;
  s.write = true;
  s.address = address;
  s.length = bytes.size();
  s.bytes = std::move(bytes);
  return s;
}

DmaStepSpec readWhenReached(uint64_t linear, std::optional<int> cpu, uint64_t address, uint64_t length) {
  DmaStepSpec s;
  s.atAddress = linear;
  s.atCpu = cpu;
  s.requester = 0x20;
  s.address = address;
  s.length = length;
  return s;
}

// Spins until the dword at 0x2000 holds 0x1234 (which only a DMA write puts
// there), then copies its loop count to 0x2004 and halts.
const char* kWaitForDma = R"(bits 32
org 0x100000
  xor ecx, ecx
spin:
  inc ecx
  cmp dword [0x2000], 0x1234
  jne spin
  mov [0x2004], ecx
  hlt
)";

TEST(DmaScript, AWriteAtAVirtualTimeLandsThenAndTheGuestSeesIt) {
  Machine m(test::smallMachine());
  DmaScript script(m, {writeAt(1000, 0x2000, {0x34, 0x12, 0, 0})});
  test::loadAndBoot(m, assemble(kWaitForDma), test::kMainRam, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  const DmaStepObservation& o = script.outcomes().at(0);
  EXPECT_EQ(o.result, dma_result::kLanded);
  EXPECT_EQ(o.requester, 0x10u);
  EXPECT_EQ(o.cpu, -1);
  // At the first block boundary at or after 1000 instructions: the loop's
  // block is 3 instructions, so at most 2 more.
  EXPECT_GE(o.instructions, 1000u);
  EXPECT_LE(o.instructions, 1002u);
  // The loop ran ~(1000 - 1) / 3 times before the write and once after it.
  uint32_t loops = 0;
  ASSERT_TRUE(m.memory().read(0x2004, &loops, 4));
  EXPECT_EQ(loops, (o.instructions - 1) / 3 + 1);
}

// Writes 0x11111111 to 0x3000, then (at `here`, 0x10000a) 0x22222222.
const char* kTwoStores = R"(bits 32
org 0x100000
  mov dword [0x3000], 0x11111111
here:
  mov dword [0x3000], 0x22222222
  hlt
)";
constexpr uint64_t kHere = 0x10000a;

TEST(DmaScript, AReadWhenACpuReachesAnAddressRunsBeforeTheInstructionThere) {
  Machine m(test::smallMachine());
  DmaScript script(m, {readWhenReached(kHere, std::nullopt, 0x3000, 4)});
  test::loadAndBoot(m, assemble(kTwoStores), test::kMainRam, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  const DmaStepObservation& o = script.outcomes().at(0);
  EXPECT_EQ(o.result, dma_result::kLanded);
  EXPECT_EQ(o.cpu, 0);
  EXPECT_EQ(o.instructions, 1u);  // the first store retired, the second not yet
  EXPECT_EQ(o.bytes, (std::vector<uint8_t>{0x11, 0x11, 0x11, 0x11}));
  // The instruction at the address still runs once, and the count is exact.
  uint32_t v = 0;
  ASSERT_TRUE(m.memory().read(0x3000, &v, 4));
  EXPECT_EQ(v, 0x22222222u);
  EXPECT_EQ(m.observe().instructions, 3u);
}

TEST(DmaScript, AStepForAnotherCpuDoesNotRunAndTheTraceIsUnchanged) {
  Machine plain(test::smallMachine());
  test::loadAndBoot(plain, assemble(kTwoStores), test::kMainRam, EntryMode::Protected);
  plain.run();
  Machine m(test::smallMachine());
  DmaScript script(m, {readWhenReached(kHere, 1, 0x3000, 4)});
  test::loadAndBoot(m, assemble(kTwoStores), test::kMainRam, EntryMode::Protected);
  m.run();
  EXPECT_EQ(script.outcomes().at(0).result, dma_result::kNotRun);
  EXPECT_TRUE(script.outcomes().at(0).bytes.empty());
  EXPECT_EQ(m.observe().traceHash, plain.observe().traceHash);
}

TEST(DmaScript, AProtectionBlocksAStepAndNamesItselfAndTheRange) {
  Machine m(test::smallMachine());
  RangeGuard guard(0x2000, 0x1000);
  m.dma().addProtection(&guard);
  DmaScript script(m, {writeAt(0, 0x2ffc, {1, 2, 3, 4}), writeAt(0, 0x3000, {5, 6, 7, 8}),
                       readWhenReached(kHere, 0, 0x2ff0, 16)});
  test::loadAndBoot(m, assemble(kTwoStores), test::kMainRam, EntryMode::Protected);
  m.run();
  const auto& out = script.outcomes();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].result, dma_result::kBlocked);
  EXPECT_EQ(out[0].instructions, 0u);
  EXPECT_EQ(out[0].protection, "guard");
  EXPECT_EQ(out[0].region, "GUARDED");
  EXPECT_EQ(out[0].regionBase, 0x2000u);
  EXPECT_EQ(out[0].regionSize, 0x1000u);
  EXPECT_EQ(out[1].result, dma_result::kLanded);  // the first byte past the range
  EXPECT_EQ(out[2].result, dma_result::kBlocked);
  EXPECT_EQ(out[2].bytes, std::vector<uint8_t>(16, 0xff));  // a blocked read gets all ones
  uint32_t v = 0;
  ASSERT_TRUE(m.memory().read(0x2ffc, &v, 4));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(m.memory().read(0x3000, &v, 4));
  EXPECT_EQ(v, 0x22222222u);  // the DMA's 08070605 landed, the guest's store came after
  bool named = false;
  for (const auto& e : m.observe().events)
    named = named || e == "DMA write to 0x2ffc (4 bytes) by requester 0x10 blocked by guard (GUARDED [0x2000, 0x3000))";
  EXPECT_TRUE(named);
}

TEST(DmaScript, StepsOutsideRamAndAfterTheStopAreReportedSo) {
  Machine m(test::smallMachine());
  DmaScript script(m, {writeAt(0, 0x80000000, {1}), writeAt(1000000, 0x2000, {1})});
  test::loadAndBoot(m, assemble(kTwoStores), test::kMainRam, EntryMode::Protected);
  m.run();
  EXPECT_EQ(script.outcomes().at(0).result, dma_result::kNotRam);
  EXPECT_EQ(script.outcomes().at(1).result, dma_result::kNotRun);
}

// A DMA write into code the CPU has translated: the CPU runs the new code.
TEST(DmaScript, ADmaWriteIntoTranslatedCodeIsSeenByTheCpu) {
  Machine m(test::smallMachine());
  DmaScript script(m, {writeAt(300, 0x100001, {0x02})});  // mov eax, 1 -> mov eax, 2
  test::loadAndBoot(m, assemble("bits 32\norg 0x100000\nspin:\n  mov eax, 1\n  cmp eax, 2\n  jne spin\n  hlt\n"),
                    test::kMainRam, EntryMode::Protected);
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  EXPECT_EQ(script.outcomes().at(0).result, dma_result::kLanded);
  EXPECT_LT(m.observe().instructions, 310u);
}

const std::string kDmaScenario = std::string(DLSIM_SOURCE_DIR) + "/scenarios/core/dma-steps.json";

TEST(DmaScript, AScenarioWithStepsRunsTheSameEveryTime) {
  Report a = runScenarioFile(kDmaScenario);
  Report b = runScenarioFile(kDmaScenario);
  ASSERT_EQ(a.result, "pass") << a.error;
  EXPECT_EQ(a.obs.traceHash, b.obs.traceHash);
  ASSERT_EQ(a.obs.dma.size(), 4u);
  EXPECT_EQ(a.obs.dma[1].instructions, b.obs.dma[1].instructions);
}

TEST(DmaScript, AnExpectationForAStepTheScenarioLacksIsBadInput) {
  Scenario s = loadScenario(kDmaScenario);
  s.expect["dma"].push_back({{"step", 4}});
  Report r = runScenario(s);
  EXPECT_EQ(r.result, "error");
  EXPECT_EQ(r.errorKind, ErrorKind::kInput);
  EXPECT_NE(r.error.find(": /expect/dma/4/step: 4 names no step (the scenario's \"dma\" has 4)"), std::string::npos)
      << r.error;
}

TEST(DmaScript, AddressStepsAreRefusedOnceTheCpusStarted) {
  Machine m(test::smallMachine());
  m.start();
  EXPECT_THROW(m.atAddress(0x1000, std::nullopt, [](int) {}), InternalError);
}

}  // namespace
}  // namespace dlsim
