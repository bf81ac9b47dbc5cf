// "machine.msrs": values the platform puts in MSRs before the first
// instruction (MachineConfig::msrs, through MsrRegistry::setByPlatform), per
// CPU or on every CPU; what no owner takes is an input error naming the entry,
// and so is an MSR a model's own scenario section sets.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/tests/machine/small_machine.h"

namespace dlsim {
namespace {

using test::assemble;

TEST(MsrSettings, GuestReadsWhatTheScenarioSet) {
  MachineConfig c = test::smallMachine(2);
  const uint64_t ucError = (1ull << 63) | (1ull << 61) | (1ull << 57);  // VAL, UC, PCC
  c.msrs = {{0x17, 1ull << 50, -1}, {0x405, ucError, 0}, {0x1a0, 1, 1}};
  Machine m(c);
  test::loadAndBoot(m, assemble(R"(bits 32
org 0x100000
  mov ecx, 0x17
  rdmsr
  mov ebx, edx
  mov ecx, 0x405
  rdmsr
  mov esi, edx
  hlt
)"),
                    test::kMainRam, EntryMode::Protected);
  test::GuestRun r = test::runToStop(m);
  EXPECT_EQ(r.obs.cpus[0].registers["rbx"], 1u << 18);  // bit 50 of EDX:EAX
  EXPECT_EQ(r.obs.cpus[0].registers["rsi"], ucError >> 32);
  EXPECT_EQ(m.cpu(1).readMsr(0x17), 1ull << 50);
  EXPECT_EQ(m.cpu(1).readMsr(0x405), 0u);  // CPU 0 only
  EXPECT_EQ(m.cpu(1).readMsr(0x1a0), 1u);
  EXPECT_EQ(m.cpu(0).readMsr(0x1a0), (1u << 0) | (1u << 18));
}

TEST(MsrSettings, RefusedValuesAndUnknownMsrsAreInputErrors) {
  for (auto [setting, message] :
       {std::pair{MachineConfig::MsrSetting{0x2ff, 2, -1}, "/machine/msrs/0: MSR 0x2ff of CPU 0 does not take 0x2"},
        std::pair{MachineConfig::MsrSetting{0x12345, 0, -1}, "/machine/msrs/0: MSR 0x12345 of CPU 0 is not implemented"}}) {
    MachineConfig c = test::smallMachine();
    c.msrs = {setting};
    Machine m(c);
    try {
      m.start();
      ADD_FAILURE() << "accepted " << message;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }
}

// An MSR whose value a model's own scenario section holds (MsrRange::
// scenarioField) is refused by machine.msrs, naming both fields, before any
// value reaches it.
TEST(MsrSettings, MsrOfAModelSectionIsRefused) {
  MachineConfig c = test::smallMachine();
  c.msrs = {{0xc0010114, 1, -1}};
  Machine m(c);
  int writes = 0;
  MsrRange r{0xc0010114, 0xc0010114, "model", [](int, uint32_t) { return std::optional<uint64_t>(0); },
             [&writes](int, uint32_t, uint64_t) { return ++writes > 0; }};
  r.scenarioField = "/model/vm_cr";
  m.msrs().add(r);
  try {
    m.start();
    ADD_FAILURE() << "machine.msrs set an MSR of a model's section";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/machine/msrs/0: MSR 0xc0010114 is set by /model/vm_cr, not /machine/msrs (its value has one place)");
  }
  EXPECT_EQ(writes, 0);
}

}  // namespace
}  // namespace dlsim
