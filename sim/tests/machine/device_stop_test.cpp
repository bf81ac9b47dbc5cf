// A stop a device asks for from inside a guest access (an MMIO or port-I/O
// callback) takes one path whatever Unicorn's exit checks are: the rest of
// the block runs and the CPU stops at the next block start, with the same
// state, instruction count and trace hash with the exit-check switch and
// with it forced off (the path of every other Unicorn build). Expected
// values come from the program's shape.
#include <gtest/gtest.h>

#include "cpu_model/unicorn_exit_checks.h"
#include "sim/device.h"
#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

constexpr uint64_t kStopWindow = 0xfed00000;
constexpr uint16_t kStopPort = 0x99;

// Any write asks the machine to stop.
class StopDevice : public Device {
 public:
  explicit StopDevice(Machine& m) : m_(m) {}
  std::string name() const override { return "stopper"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return 0; }
  void write(const AccessContext& ctx, uint64_t, unsigned, uint64_t) override {
    RunExit e;
    e.kind = RunExit::MachineStop;
    e.stop = StopInfo{"device-stop", ctx.cpu, 0, "the stopper device asked to stop"};
    m_.cpu(ctx.cpu).requestStop(e);
  }

 private:
  Machine& m_;
};

using test::GuestRun;

GuestRun run(const std::string& source, bool switchForcedOff) {
  unicorn_exit_checks::setForcedOff(switchForcedOff);
  Machine m(test::smallMachine());
  StopDevice dev(m);
  m.bus().mapMmio(kStopWindow, 0x1000, &dev);
  m.bus().mapPorts(kStopPort, 1, &dev);
  const uint32_t data = 0x11111111;
  EXPECT_TRUE(m.memory().write(0x8000, &data, sizeof data));
  test::loadAndBoot(m, test::assemble(source), test::kMainRam, EntryMode::Protected);
  const GuestRun r = test::runToStop(m);
  unicorn_exit_checks::setForcedOff(false);
  return r;
}

// `ask` asks for the stop; a load and a store follow in the same block (an
// exit check after either would stop the block there).
std::string program(const std::string& ask) {
  return R"(bits 32
org 0x100000
  mov esp, 0x90000        ; 0x100000 (5)
  jmp block               ; 0x100005 (2)
block:
  mov eax, 0x5a           ; 0x100007 (5)
  )" + ask + R"(
  mov ebx, [0x8000]       ; loads 0x11111111 (6)
  mov [0x8004], ebx       ; (6)
  mov ecx, 2
  jmp next
next:
  mov edx, 3
  hlt
)";
}

void expectStoppedAtNext(const GuestRun& r, uint64_t next, uint64_t retired) {
  ASSERT_EQ(r.stop.reason, "device-stop") << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[0].registers.at("rip"), next);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rbx"), 0x11111111u);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rcx"), 2u);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rdx"), 0u);
  EXPECT_EQ(r.obs.instructions, retired);
  EXPECT_EQ(r.obs.cpus[0].instructions, retired);
}

TEST(DeviceStop, FromAnMmioWriteLandsAtTheNextBlockWithOrWithoutTheSwitch) {
  const std::string src = program("mov [0xfed00000], eax   ; 0x10000c (5)");
  const GuestRun with = run(src, false);
  const GuestRun without = run(src, true);
  // mov, jmp; mov, store, mov, mov, mov, jmp: `next` = 0x10000c + 5 + 6 + 6 + 5 + 2.
  for (const GuestRun* r : {&with, &without}) expectStoppedAtNext(*r, 0x10000cu + 5 + 6 + 6 + 5 + 2, 8);
  EXPECT_EQ(with.obs.traceHash, without.obs.traceHash);
  EXPECT_EQ(with.obs.cpus[0].registers, without.obs.cpus[0].registers);
}

TEST(DeviceStop, FromAPortWriteLandsAtTheNextBlockWithOrWithoutTheSwitch) {
  const std::string src = program("out 0x99, al            ; 0x10000c (2)");
  const GuestRun with = run(src, false);
  const GuestRun without = run(src, true);
  for (const GuestRun* r : {&with, &without}) expectStoppedAtNext(*r, 0x10000cu + 2 + 6 + 6 + 5 + 2, 8);
  EXPECT_EQ(with.obs.traceHash, without.obs.traceHash);
  EXPECT_EQ(with.obs.cpus[0].registers, without.obs.cpus[0].registers);
}

}  // namespace
}  // namespace dlsim
