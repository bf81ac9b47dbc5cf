// ModelHost::endRun: a device (not an instruction handler) ends the run with
// a named reason, optionally after a platform reset, from inside a CPU's
// access or with no CPU running. The TXT chipset's CMD.RESET is the first
// user; any device model may use it.
#include <gtest/gtest.h>

#include <vector>

#include "sim/device.h"
#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

constexpr uint64_t kWindow = 0xfed10000;

// A write of 1 ends the run plainly, 2 after a warm reset, 3 after a cold one.
class EndingDevice : public Device {
 public:
  explicit EndingDevice(ModelHost& host) : host_(host) {}
  std::string name() const override { return "ender"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return 0; }
  void write(const AccessContext&, uint64_t, unsigned, uint64_t value) override {
    ++writes;
    if (value == 1) host_.endRun("device-end", "write " + std::to_string(writes));
    if (value == 2) host_.endRun("device-end", "write " + std::to_string(writes), ResetKind::Warm);
    if (value == 3) host_.endRun("device-end", "write " + std::to_string(writes), ResetKind::Cold);
  }
  int writes = 0;

 private:
  ModelHost& host_;
};

// Two writes in one block: the first request is the one reported; the rest
// of the block (the second write, the store to 0x8000) still runs, the
// instructions after the block do not.
const char* kTwoWrites = R"(bits 32
org 0x100000
  mov dword [0xfed10000], 1
  mov dword [0xfed10000], 2
  mov dword [0x8000], 0x1234
  jmp next
next:
  mov dword [0x8004], 0x5678
  hlt
)";

TEST(DeviceEndRun, FromACpuAccessTheFirstRequestEndsTheRunAtTheNextBlock) {
  Machine m(test::smallMachine());
  EndingDevice dev(m);
  m.bus().mapMmio(kWindow, 0x1000, &dev);
  std::vector<ResetKind> resets;
  m.onReset([&](ResetKind k) { resets.push_back(k); });
  test::loadAndBoot(m, test::assemble(kTwoWrites), test::kMainRam, EntryMode::Protected);
  const test::GuestRun r = test::runToStop(m);
  EXPECT_EQ(r.stop.reason, "device-end");
  EXPECT_EQ(r.stop.detail, "write 1");
  EXPECT_EQ(r.stop.cpu, 0);
  EXPECT_EQ(dev.writes, 2);
  EXPECT_TRUE(resets.empty());  // the first request asked for no reset
  uint32_t a = 0, b = 0;
  ASSERT_TRUE(m.memory().readValue(0x8000, a));
  ASSERT_TRUE(m.memory().readValue(0x8004, b));
  EXPECT_EQ(a, 0x1234u);
  EXPECT_EQ(b, 0u);
}

TEST(DeviceEndRun, WithAResetTheHooksRunAndTheCpusAreInResetState) {
  Machine m(test::smallMachine());
  EndingDevice dev(m);
  m.bus().mapMmio(kWindow, 0x1000, &dev);
  std::vector<ResetKind> resets;
  m.onReset([&](ResetKind k) { resets.push_back(k); });
  test::loadAndBoot(m, test::assemble("bits 32\norg 0x100000\nmov dword [0xfed10000], 3\njmp $\n"), test::kMainRam,
                    EntryMode::Protected);
  const test::GuestRun r = test::runToStop(m);
  EXPECT_EQ(r.stop.reason, "device-end");
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0], ResetKind::Cold);
  EXPECT_EQ(r.obs.cpus[0].mode, "real");
  EXPECT_EQ(r.obs.cpus[0].registers.at("rip"), 0xfff0u);
}

TEST(DeviceEndRun, WithNoCpuRunningTheNextRunEndsAtOnce) {
  Machine m(test::smallMachine());
  EndingDevice dev(m);
  m.bus().mapMmio(kWindow, 0x1000, &dev);
  std::vector<ResetKind> resets;
  m.onReset([&](ResetKind k) { resets.push_back(k); });
  test::loadAndBoot(m, test::assemble("bits 32\norg 0x100000\nmov dword [0x8000], 1\nhlt\n"), test::kMainRam,
                    EntryMode::Protected);
  // A DMA-style access from outside any CPU: two requests, the first wins.
  m.bus().mmioWrite(AccessContext::fromDma(7), kWindow, 4, 2);
  m.bus().mmioWrite(AccessContext::fromDma(7), kWindow, 4, 1);
  const StopInfo s = m.run();
  EXPECT_EQ(s.reason, "device-end");
  EXPECT_EQ(s.detail, "write 1");
  EXPECT_EQ(s.cpu, -1);
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0], ResetKind::Warm);
  uint32_t v = 0;
  ASSERT_TRUE(m.memory().readValue(0x8000, v));
  EXPECT_EQ(v, 0u);  // the guest never ran
}

}  // namespace
}  // namespace dlsim
