// The machine's PCI configuration space as guests and models reach it:
// guest `out`/`in` to CF8/CFC and `mov` into the ECAM window (placed while
// the CPUs run) arrive at an attached function; a platform reset clears
// CONFIG_ADDRESS; a machine snapshot keeps the latch, the ECAM placement and
// the functions' state, whether the window was mapped when it was taken.
#include <gtest/gtest.h>

#include <vector>

#include "sim/machine/machine.h"
#include "sim/pci/pci_config_space.h"
#include "sim/tests/machine/small_machine.h"
#include "sim/tests/pci/fake_pci_function.h"

namespace dlsim {
namespace {

using test::ConfigAccess;
using test::configReply;
using test::FakePciFunction;
using test::kMainRam;

constexpr uint64_t kEcam = 0xe0000000;

TEST(PciGuestAccess, Cf8CfcAndEcamReachTheFunction) {
  Machine m(test::smallMachine());
  FakePciFunction nb("nb-f0");
  m.pci().attach({0, 0x18, 0}, &nb);
  m.pci().setCf8Extended(true);
  test::loadAndBoot(m, test::assemble(R"(bits 32
org 0x100000
  mov dx, 0xcf8
  mov eax, 0x8300c084   ; 00:18.0 register 0x384 (extended bits 27:24 = 3)
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  mov esi, eax
  mov eax, 0x11223344
  out dx, eax
  mov dx, 0xcfe
  in ax, dx
  mov edi, eax
  mov dx, 0xcf8
  in eax, dx
  mov ebp, eax
  mov ebx, 0xe0000000
  mov ecx, [ebx + 0xc0040]              ; 00:18.0 register 0x40 through ECAM
  mov dword [ebx + 0xc0384], 0x55667788
  mov eax, [ebx + 0xc1000]              ; 00:18.1: nothing there
  hlt
)"),
                  kMainRam, EntryMode::Protected);
  m.pci().setEcam(kEcam, 16);  // the CPUs exist: their engines map it now
  const test::GuestRun r = test::runToStop(m);
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  const std::vector<ConfigAccess> want = {{false, 0x384, 4, configReply(0x384, 4), 0},
                                          {true, 0x384, 4, 0x11223344, 0},
                                          {false, 0x386, 2, configReply(0x386, 2), 0},
                                          {false, 0x40, 4, configReply(0x40, 4), 0},
                                          {true, 0x384, 4, 0x55667788, 0}};
  EXPECT_EQ(nb.accesses, want);
  auto reg = r.obs.cpus[0].registers;
  EXPECT_EQ(reg["rsi"], configReply(0x384, 4));
  EXPECT_EQ(reg["rdi"] & 0xffff, configReply(0x386, 2));
  EXPECT_EQ(reg["rbp"], 0x8300c084u);
  EXPECT_EQ(reg["rcx"], configReply(0x40, 4));
  EXPECT_EQ(reg["rax"], 0xffffffffu);
  EXPECT_TRUE(r.obs.events.empty());  // nothing unclaimed
}

TEST(PciGuestAccess, EnableBitClearReadsAllOnesAndCf9StaysUnclaimed) {
  Machine m(test::smallMachine());
  FakePciFunction nb("nb-f0");
  m.pci().attach({0, 0x18, 0}, &nb);
  test::loadAndBoot(m, test::assemble(R"(bits 32
org 0x100000
  mov dx, 0xcf8
  mov eax, 0x0000c000
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  mov esi, eax
  mov dx, 0xcf9
  mov al, 0x02
  out dx, al
  hlt
)"),
                  kMainRam, EntryMode::Protected);
  const test::GuestRun r = test::runToStop(m);
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  EXPECT_TRUE(nb.accesses.empty());
  EXPECT_EQ(r.obs.cpus[0].registers.at("rsi"), 0xffffffffu);
  ASSERT_EQ(r.obs.events.size(), 1u);
  EXPECT_NE(r.obs.events[0].find("unclaimed I/O port 0xcf9"), std::string::npos) << r.obs.events[0];
}

TEST(PciGuestAccess, PlatformResetClearsConfigAddressAndKeepsEcam) {
  Machine m(test::smallMachine());
  m.start();
  m.bus().portWrite(AccessContext::fromCpu(0), 0xcf8, 4, 0x8000c040);
  m.pci().setEcam(kEcam);
  m.reset(ResetKind::Warm);
  EXPECT_EQ(m.bus().portRead(AccessContext::fromCpu(0), 0xcf8, 4), 0u);
  EXPECT_EQ(m.platformPci().ecamBase(), std::optional<uint64_t>(kEcam));
}

TEST(PciGuestAccess, MachineSnapshotKeepsThePciState) {
  Machine m(test::smallMachine());
  FakePciFunction nb("nb-f0");
  m.pci().attach({0, 0x18, 0}, &nb);
  m.start();
  m.bus().portWrite(AccessContext::fromCpu(0), 0xcf8, 4, 0x8000c040);
  auto s = m.snapshot();  // ECAM off
  m.pci().setEcam(kEcam, 1);
  m.bus().portWrite(AccessContext::fromCpu(0), 0xcf8, 4, 0);
  m.bus().mmioWrite(AccessContext::fromCpu(0), kEcam + 0xc0040, 4, 7);
  ASSERT_EQ(nb.writes, 1u);
  m.restore(*s);  // the ECAM device was a part from the start: the parts match
  EXPECT_FALSE(m.platformPci().ecamBase().has_value());
  EXPECT_EQ(m.bus().findMmio(kEcam), nullptr);
  EXPECT_EQ(m.bus().portRead(AccessContext::fromCpu(0), 0xcf8, 4), 0x8000c040u);
  EXPECT_EQ(nb.writes, 0u);
  EXPECT_EQ(nb.restores, 1u);
}

}  // namespace
}  // namespace dlsim
