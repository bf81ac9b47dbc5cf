// Instruction guards (special_instructions.h): a model's look at every
// emulated instruction before its owner's handler, as a VMX or SVM model
// needs for a CPU in a guest mode.
#include <capstone/capstone.h>
#include <gtest/gtest.h>

#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"

namespace dlsim {
namespace {

using test::assemble;
using test::CpuRig;

TEST(InstructionGuard, DecidesBeforeTheHandlerOrLetsItRun) {
  CpuRig rig;
  int guardCalls = 0;
  // Takes RDTSC when EBX is 1: reports 0x77 in EAX itself and skips the
  // platform's handler; leaves it to the handler otherwise.
  rig.special().addGuard("test", [&](Cpu& c, const DecodedInsn& insn) -> std::optional<InsnOutcome> {
    ++guardCalls;
    if (insn.id != X86_INS_RDTSC || c.reg(Reg::Rbx) != 1) return std::nullopt;
    c.setReg(Reg::Rax, 0x77);
    c.setReg(Reg::Rdx, 0);
    return InsnOutcome::Done;
  });
  rig.load(0x100000, assemble("bits 32\nmov eax, 5\nmov ebx, 0\nrdtsc\nmov esi, eax\nmov ebx, 1\nrdtsc\nhlt\n"));
  rig.cpu().setArchState(CpuRig::flat32(0x100000));
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_NE(rig.cpu().reg(Reg::Rsi), 0x77u);  // the platform's RDTSC: virtual time
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), 0x77u);  // the guard's
  EXPECT_EQ(guardCalls, 3);                   // both RDTSCs and the HLT
}

TEST(InstructionGuard, FirstGuardWithAnOutcomeWins) {
  CpuRig rig;
  std::vector<std::string> order;
  rig.special().addGuard("first", [&](Cpu&, const DecodedInsn&) -> std::optional<InsnOutcome> {
    order.push_back("first");
    return InsnOutcome::RaiseUD;
  });
  rig.special().addGuard("second", [&](Cpu&, const DecodedInsn&) -> std::optional<InsnOutcome> {
    order.push_back("second");
    return InsnOutcome::Done;
  });
  rig.load(0x100000, assemble("bits 32\nrdtsc\nhlt\n"));
  rig.cpu().setArchState(CpuRig::flat32(0x100000));
  rig.run();
  ASSERT_EQ(order.size(), 1u);
  EXPECT_EQ(order[0], "first");
  // #UD with no IDT: the CPU shuts down, its chain starting with the #UD.
  const CpuObservation o = rig.cpu().observe();
  ASSERT_FALSE(o.exceptionChain.empty());
  EXPECT_EQ(o.exceptionChain[0].rfind("#UD", 0), 0u) << o.exceptionChain[0];
}

}  // namespace
}  // namespace dlsim
