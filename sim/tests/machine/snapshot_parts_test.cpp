// Machine snapshots go through one registry of parts: platform MSR state
// (IA32_MISC_ENABLE, the IA32_TSC offset) is restored, a device mapped at two
// windows is saved once, and a snapshot of other parts is refused. RDTSC
// honours writes to IA32_TSC.
#include <gtest/gtest.h>

#include "cpu_model/msr_registry.h"
#include "sim/device.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "cpu_model/testkit/assemble.h"

namespace dlsim {
namespace {

MachineConfig smallMachine() {
  MachineConfig c;
  c.cpus = 2;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x100000, "main"}};
  c.maxInstructions = 100000;
  return c;
}

uint64_t readMsr(Machine& m, int cpu, uint32_t msr) {
  const MsrRange* r = m.msrs().find(msr);
  EXPECT_TRUE(r && r->read);
  return r && r->read ? r->read(cpu, msr).value_or(~0ull) : ~0ull;
}

void writeMsr(Machine& m, int cpu, uint32_t msr, uint64_t v) {
  const MsrRange* r = m.msrs().find(msr);
  ASSERT_TRUE(r && r->write);
  ASSERT_TRUE(r->write(cpu, msr, v));
}

TEST(SnapshotParts, MiscEnableIsRestored) {
  Machine m(smallMachine());
  m.start();
  writeMsr(m, 1, 0x1a0, 0x1);
  auto s = m.snapshot();
  writeMsr(m, 1, 0x1a0, 0x40001);
  m.restore(*s);
  EXPECT_EQ(readMsr(m, 1, 0x1a0), 0x1u);
}

TEST(SnapshotParts, TscOffsetIsRestored) {
  Machine m(smallMachine());
  m.start();
  writeMsr(m, 0, 0x10, 1000000000);
  auto s = m.snapshot();
  writeMsr(m, 0, 0x10, 5);
  m.restore(*s);
  EXPECT_EQ(readMsr(m, 0, 0x10), 1000000000u);
  EXPECT_EQ(readMsr(m, 1, 0x10), m.platform().time);  // CPU 1's offset was never set
}

TEST(SnapshotParts, RdtscReadsTheWrittenTsc) {
  Machine m(smallMachine());
  const std::vector<uint8_t> code = test::assemble(R"(bits 32
org 0x100000
  mov ecx, 0x10
  mov eax, 0x00000000
  mov edx, 0x00000100
  wrmsr
  rdtsc
  hlt
)");
  ASSERT_TRUE(m.memory().write(0x100000, code.data(), code.size()));
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = 0x100000;
  m.boot(b);
  m.run();
  Observation o = m.observe();
  const uint64_t tsc = (o.cpus[0].registers["rdx"] << 32) | o.cpus[0].registers["rax"];
  // The write sets the TSC to 0x100_00000000; one instruction later RDTSC
  // reads it plus the virtual time that passed since (at most a few ticks).
  EXPECT_GE(tsc, 0x10000000000u);
  EXPECT_LE(tsc, 0x10000000000u + 4);
}

// Counts its snapshots.
class CountingDevice : public Device {
 public:
  std::string name() const override { return "counter"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return value; }
  void write(const AccessContext&, uint64_t, unsigned, uint64_t v) override { value = v; }
  std::vector<uint8_t> saveState() const override {
    ++saves;
    return {uint8_t(value)};
  }
  void restoreState(std::span<const uint8_t> s) override { value = s.empty() ? 0 : s[0]; }
  uint64_t value = 0;
  mutable int saves = 0;
};

TEST(SnapshotParts, DeviceAtTwoWindowsIsSavedOnce) {
  Machine m(smallMachine());
  CountingDevice d;
  m.bus().mapMmio(0xfec10000, 0x1000, &d);
  m.bus().mapMmio(0xfec20000, 0x1000, &d);
  d.value = 7;
  auto s = m.snapshot();
  EXPECT_EQ(d.saves, 1);
  d.value = 9;
  m.restore(*s);
  EXPECT_EQ(d.value, 7u);
}

TEST(SnapshotParts, SnapshotOfOtherPartsIsRefused) {
  Machine m(smallMachine());
  auto s = m.snapshot();
  CountingDevice d;
  m.bus().mapMmio(0xfec10000, 0x1000, &d);
  try {
    m.restore(*s);
    ADD_FAILURE() << "a snapshot without the new device was restored";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("parts"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dlsim
