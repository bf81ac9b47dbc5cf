// What instruction handlers of platform models end in and how they act on
// other CPUs (issue 17, "the CPU as launch models need it"): a named stop, a
// platform reset, a model-defined sleep (SENTER sleep) woken at a given
// state by the model or by its wake condition, INIT to all APs, and the IPI
// filter. GETSEC stands in for a model's instruction; EAX selects what the
// test handler does.
#include <capstone/capstone.h>
#include <gtest/gtest.h>

#include "cpu_model/testkit/assemble.h"
#include "cpu_model/model_sleep_on_write.h"
#include "cpu_model/testkit/cpu_rig.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"

namespace dlsim {
namespace {

using test::assemble;
using test::CpuRig;

MachineConfig twoCpus() {
  MachineConfig c;
  c.cpus = 2;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x100000, "main"}};
  c.maxInstructions = 1000000;
  return c;
}

void bootAt(Machine& m, const std::string& asm32) {
  ASSERT_TRUE(m.memory().write(0x100000, assemble("bits 32\norg 0x100000\n" + asm32).data(),
                               assemble("bits 32\norg 0x100000\n" + asm32).size()));
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = 0x100000;
  m.boot(b);
}

// The AP's code: marks 0x2000 and halts.
constexpr uint64_t kApCode = 0x110000;
void loadApCode(Machine& m) {
  auto code = assemble("bits 32\norg 0x110000\nmov dword [0x2000], 0x600d\nhlt\n");
  ASSERT_TRUE(m.memory().write(kApCode, code.data(), code.size()));
}

using Handler = std::function<InsnOutcome(Cpu&, uint32_t eax)>;
void onGetsec(Machine& m, Handler h) {
  m.specialInstructions().add(X86_INS_GETSEC, "test", [h](Cpu& c, const DecodedInsn&) {
    return h(c, static_cast<uint32_t>(c.reg(Reg::Rax)));
  });
}

TEST(ModelControl, HandlerEndsTheRunWithANamedStop) {
  Machine m(twoCpus());
  onGetsec(m, [](Cpu& c, uint32_t) {
    c.stopMachine("txt-reset", "TXT.ERRORCODE 0xc0000001");
    return InsnOutcome::Stop;
  });
  bootAt(m, "nop\ngetsec\nhlt\n");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, "txt-reset");
  EXPECT_EQ(s.detail, "TXT.ERRORCODE 0xc0000001");
  EXPECT_EQ(s.cpu, 0);
  EXPECT_EQ(s.address, 0x100001u);
}

TEST(ModelControl, PlatformResetPutsCpusInResetStateAndTellsTheHooks) {
  Machine m(twoCpus());
  std::vector<ResetKind> seen;
  m.onReset([&](ResetKind k) { seen.push_back(k); });
  onGetsec(m, [](Cpu& c, uint32_t eax) {
    c.requestPlatformReset(eax == 1 ? ResetKind::Cold : ResetKind::Warm, "txt-reset", "reset");
    return InsnOutcome::Stop;
  });
  bootAt(m, "mov dword [0x3000], 0x12345678\nmov eax, 1\ngetsec\nhlt\n");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, "txt-reset");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], ResetKind::Cold);
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].state, "running");
  EXPECT_EQ(o.cpus[0].mode, "real");
  EXPECT_EQ(o.cpus[0].registers["cs"], 0xf000u);
  EXPECT_EQ(o.cpus[0].registers["rip"], 0xfff0u);
  EXPECT_EQ(o.cpus[0].registers["cr0"], 0x60000010u);
  EXPECT_EQ(m.cpu(0).codeLinear(0xfff0), 0xfffffff0u);
  EXPECT_EQ(o.cpus[1].state, "wait-for-sipi");
  uint32_t kept = 0;
  EXPECT_TRUE(m.memory().readValue(0x3000, kept));
  EXPECT_EQ(kept, 0x12345678u);  // RAM is kept (documented)
}

TEST(ModelControl, ModelSleepIsReportedByNameAndNotRun) {
  Machine m(twoCpus());
  loadApCode(m);
  onGetsec(m, [&](Cpu&, uint32_t) {
    m.cpu(1).enterModelSleep("senter-sleep");
    return InsnOutcome::Done;
  });
  bootAt(m, "getsec\nhlt\n");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[1].state, "senter-sleep");
  EXPECT_EQ(o.cpus[1].instructions, 0u);
}

// GETSEC eax=0 puts CPU 1 in SENTER sleep, eax=8 wakes it at the AP code
// (as GETSEC[WAKEUP] wakes RLPs at the MLE's join entry); the BSP waits for
// the AP's mark.
TEST(ModelControl, ModelSleepNamesHaveTheFormScenariosCanExpect) {
  Machine m(twoCpus());
  m.start();
  EXPECT_THROW(m.cpu(1).enterModelSleep("senter"), InternalError);
  EXPECT_THROW(m.cpu(1).enterModelSleep("SENTER-sleep"), InternalError);
  m.cpu(1).enterModelSleep("senter-sleep");
  EXPECT_EQ(m.cpu(1).modelSleepName(), "senter-sleep");
}

TEST(ModelControl, ModelWakesASleepingCpuAtAGivenState) {
  Machine m(twoCpus());
  loadApCode(m);
  onGetsec(m, [&](Cpu&, uint32_t eax) {
    if (eax == 0) m.cpu(1).enterModelSleep("senter-sleep");
    else m.wakeCpu(1, CpuRig::flat32(kApCode));
    return InsnOutcome::Done;
  });
  bootAt(m, "xor eax, eax\ngetsec\nmov eax, 8\ngetsec\nspin: cmp dword [0x2000], 0x600d\njne spin\nhlt\n");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[1].state, "halted");
  EXPECT_EQ(o.cpus[1].instructions, 2u);
  EXPECT_EQ(o.cpus[0].state, "halted");
}

// The model's wake condition, asked by the scheduler, wakes the CPU once the
// BSP writes the join word.
TEST(ModelControl, SchedulerAsksTheModelsWakeCondition) {
  Machine m(twoCpus());
  loadApCode(m);
  int asked = 0;
  onGetsec(m, [&](Cpu&, uint32_t) {
    m.cpu(1).enterModelSleep("senter-sleep", [&](Cpu& c) {
      ++asked;
      uint32_t join = 0;
      m.memory().readValue(0x2100, join);
      if (join != 1) return false;
      c.wakeAt(CpuRig::flat32(kApCode));
      return true;
    });
    return InsnOutcome::Done;
  });
  bootAt(m, "getsec\npause\nmov dword [0x2100], 1\nspin: pause\ncmp dword [0x2000], 0x600d\njne spin\nhlt\n");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  EXPECT_GT(asked, 1);
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[1].state, "halted");
  uint32_t mark = 0;
  EXPECT_TRUE(m.memory().readValue(0x2000, mark));
  EXPECT_EQ(mark, 0x600du);
}

// A model sleep woken by a guest write (cpu_model/model_sleep_on_write.h): CPU 1
// sleeps on 0x2104; a store elsewhere does not wake it, a store of zero to
// its line calls the model, which keeps it asleep (the word is still 0),
// and a store of 1 wakes it at the AP code. A machine whose only sleeper
// waits on a word nobody writes ends as all halted.
TEST(ModelControl, ModelSleepOnWriteWakesWhenTheGuestWritesTheAddress) {
  Machine m(twoCpus());
  loadApCode(m);
  std::vector<uint32_t> seen;
  onGetsec(m, [&](Cpu&, uint32_t) {
    enterModelSleepOnWrite(m.cpu(1), "senter-sleep", 0x2104, [&](Cpu& c) {
      uint32_t word = 0;
      m.memory().readValue(0x2104, word);
      seen.push_back(word);
      if (word == 0) return false;
      c.wakeAt(CpuRig::flat32(kApCode));
      return true;
    });
    return InsnOutcome::Done;
  });
  bootAt(m, "getsec\nmov dword [0x3000], 5\npause\npause\nmov dword [0x2104], 0\npause\npause\n"
            "mov dword [0x2104], 1\nspin: pause\ncmp dword [0x2000], 0x600d\njne spin\nhlt\n");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  EXPECT_EQ(seen, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(m.observe().cpus[1].state, "halted");

  Machine idle(twoCpus());
  onGetsec(idle, [&](Cpu&, uint32_t) {
    enterModelSleepOnWrite(idle.cpu(1), "senter-sleep", 0x2104, [](Cpu&) { return true; });
    return InsnOutcome::Done;
  });
  bootAt(idle, "getsec\nhlt\n");
  EXPECT_EQ(idle.run().reason, stop_reason::kAllHalted);
  EXPECT_EQ(idle.observe().cpus[1].state, "senter-sleep");
}

// A DMA write (host side, no CPU store) to the line wakes the sleeper too.
TEST(ModelControl, ModelSleepOnWriteSeesHostSideWrites) {
  Machine m(twoCpus());
  loadApCode(m);
  int calls = 0;
  onGetsec(m, [&](Cpu&, uint32_t) {
    enterModelSleepOnWrite(m.cpu(1), "senter-sleep", 0x2104, [&](Cpu& c) {
      ++calls;
      c.wakeAt(CpuRig::flat32(kApCode));
      return true;
    });
    return InsnOutcome::Done;
  });
  bootAt(m, "getsec\nhlt\n");
  EXPECT_EQ(m.run().reason, stop_reason::kAllHalted);
  EXPECT_EQ(calls, 0);
  const uint32_t v = 7;
  ASSERT_TRUE(m.memory().write(0x2104, &v, 4));
  EXPECT_EQ(m.run().reason, stop_reason::kAllHalted);
  EXPECT_EQ(calls, 1);
  uint32_t mark = 0;
  EXPECT_TRUE(m.memory().readValue(0x2000, mark));
  EXPECT_EQ(mark, 0x600du);
}

// INIT to all APs, once through and once taken by a filter (as AMD's
// R_INIT redirection takes INIT).
TEST(ModelControl, InitAllApsPassesTheIpiFilter) {
  for (bool filtered : {false, true}) {
    Machine m(twoCpus());
    loadApCode(m);
    std::vector<std::pair<int, IpiKind>> seen;
    m.addIpiFilter([&](int target, IpiKind kind, uint8_t) {
      seen.push_back({target, kind});
      return !filtered;
    });
    onGetsec(m, [&](Cpu&, uint32_t eax) {
      if (eax == 0) m.wakeCpu(1, CpuRig::flat32(kApCode));
      else m.initAllAps();
      return InsnOutcome::Done;
    });
    bootAt(m, "xor eax, eax\ngetsec\nspin: cmp dword [0x2000], 0x600d\njne spin\nmov eax, 1\ngetsec\nhlt\n");
    StopInfo s = m.run();
    EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].first, 1);
    EXPECT_EQ(seen[0].second, IpiKind::Init);
    EXPECT_EQ(m.observe().cpus[1].state, filtered ? "halted" : "wait-for-sipi");
  }
}

// An INIT IPI a filter takes (AMD's R_INIT redirection) leaves the target
// entirely as it was: its APIC keeps software enable and TPR, which a
// delivered INIT resets.
TEST(ModelControl, FilteredInitIpiLeavesTheTargetApicUntouched) {
  for (bool filtered : {false, true}) {
    Machine m(twoCpus());
    auto apicWrite = [&](uint32_t off, uint32_t v) {
      m.lapics().write(AccessContext{1, 0xFEE00000 + off, -1}, off, 4, v);
    };
    apicWrite(0xF0, 0x1FF);  // software enable
    apicWrite(0x80, 0x70);   // TPR
    ASSERT_TRUE(m.lapics().softwareEnabled(1));
    int inits = 0;
    m.addIpiFilter([&](int target, IpiKind kind, uint8_t) {
      if (kind != IpiKind::Init || target != 1) return true;
      ++inits;
      return !filtered;
    });
    bootAt(m, "mov dword [0xfee00310], 0x01000000\nmov dword [0xfee00300], 0x4500\nhlt\n");
    StopInfo s = m.run();
    EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
    EXPECT_EQ(inits, 1);
    EXPECT_EQ(m.lapics().softwareEnabled(1), filtered);
    const uint64_t tpr = m.lapics().read(AccessContext{1, 0xFEE00080, -1}, 0x80, 4);
    EXPECT_EQ(tpr, filtered ? 0x70u : 0u);
  }
}

// While GIF is clear (SKINIT, CLGI) a pending interrupt waits; setting it
// again lets the interrupt in.
TEST(ModelControl, ClearGifHoldsInterruptsUntilSet) {
  Machine m(twoCpus());
  onGetsec(m, [](Cpu& c, uint32_t eax) {
    c.setGif(eax != 0);
    return eax != 0 ? InsnOutcome::Yield : InsnOutcome::Done;
  });
  bootAt(m, R"(
  mov esp, 0x90000
  mov dword [0xfee000f0], 0x1ff       ; APIC software enable
  lidt [idtr]
  sti
  xor eax, eax
  getsec                              ; GIF = 0
  mov dword [0xfee00300], 0x00040040  ; self IPI, vector 0x40
  pause
  mov ebx, [0x2000]
  mov eax, 1
  getsec                              ; GIF = 1
  pause
  mov ecx, [0x2000]
  hlt
handler:
  mov dword [0x2000], 0x600d
  mov dword [0xfee000b0], 0
  iret
align 8
idt:
  times 0x40 dq 0
  dw (handler - $$ + 0x100000) & 0xffff, 0x10
  db 0, 0x8e
  dw (handler - $$ + 0x100000) >> 16
idtr:
  dw 0x41 * 8 - 1
  dd idt - $$ + 0x100000
)");
  StopInfo s = m.run();
  EXPECT_EQ(s.reason, stop_reason::kAllHalted) << s.detail;
  Observation o = m.observe();
  EXPECT_EQ(o.cpus[0].registers["rbx"], 0u);
  EXPECT_EQ(o.cpus[0].registers["rcx"], 0x600du);
}

}  // namespace
}  // namespace dlsim
