// The BSP's state at the SLB entry (APM vol. 2 15.27.6; the values the APM
// leaves open are the INIT values, skinit_entry_state.h), GIF, VM_CR and the
// launch record.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "svm_model/skinit/tests/skinit_rig.h"

namespace dlsim::svm::test {
namespace {

TEST(SkinitEntry, TheSlEntryStateIsExact) {
  SkinitRig rig;
  // Entry at offset 0x20; the SL halts at once.
  rig.writeSlb(dlsim::test::assemble(slbSource("hlt\n", 0x1C)));
  // Before: dirty registers, CR0.CD set (kept), CR4.PSE set (cleared).
  auto r = rig.skinitRun(
      "mov ebx, 0x11111111\nmov ecx, 0x22222222\nmov esi, 0x33333333\nmov edi, 0x44444444\n"
      "mov ebp, 0x55555555\nmov esp, 0x180000\nmov edx, 0x66666666\n"
      "mov eax, cr0\nor eax, 0x40000000\nmov cr0, eax\nmov eax, cr4\nor eax, 0x10\nmov cr4, eax\n");
  ASSERT_TRUE(r.obs.brokenRules.empty()) << r.obs.brokenRules[0].id;
  ASSERT_TRUE(firstFault(r).empty()) << firstFault(r);
  Cpu& bsp = rig.m.cpu(0);
  EXPECT_EQ(bsp.state(), CpuState::Halted);
  const ArchState a = bsp.archState();
  EXPECT_EQ(a.rip, kSlbBase + 0x20 + 1u);  // past the SL's HLT
  EXPECT_EQ(a.gprs[ArchState::Rax], kSlbBase);
  const uint32_t signature = rig.m.cpuidProfile().query(1, 0, bsp.apicId(), 1).eax;
  EXPECT_EQ(a.gprs[ArchState::Rdx], signature);
  EXPECT_EQ(a.gprs[ArchState::Rsp], kSlbBase + 0x10000u);
  for (int g : {ArchState::Rcx, ArchState::Rbx, ArchState::Rbp, ArchState::Rsi, ArchState::Rdi})
    EXPECT_EQ(a.gprs[g], 0u) << g;
  EXPECT_EQ(a.rflags, 2u);
  EXPECT_EQ(a.cr0 & 0x80000001u, 1u);    // PE on, PG off
  EXPECT_EQ(a.cr0 & 0x40000000u, 0x40000000u);  // CD kept
  EXPECT_EQ(a.cr4, 0u);
  EXPECT_EQ(a.efer, 0u);
  EXPECT_EQ(a.cs.selector, 0x08);
  EXPECT_EQ(a.cs.base, 0u);
  EXPECT_EQ(a.cs.limit, 0xffffffffu);
  EXPECT_EQ(a.cs.attributes & 0x0800u, 0x0800u);  // code
  EXPECT_EQ(a.cs.attributes & SegmentState::kBig, SegmentState::kBig);
  EXPECT_EQ(a.ss.selector, 0x10);
  EXPECT_EQ(a.ss.limit, 0xffffffffu);
  EXPECT_EQ(a.ss.attributes & 0x0a00u, 0x0200u);  // data, writable
  for (const SegmentState* s : {&a.ds, &a.es, &a.fs, &a.gs}) {
    EXPECT_EQ(s->selector, 0);
    EXPECT_EQ(s->base, 0u);
    EXPECT_EQ(s->limit, 0xffffu);  // still a real-mode segment
  }
  EXPECT_FALSE(bsp.gif());
  EXPECT_FALSE(rig.svmCpus.at(0).gif);
  EXPECT_EQ(rig.svmCpus.at(0).vmCr & 0x7u, 0x7u);  // DPD, R_INIT, DIS_A20M
  EXPECT_TRUE(rig.svmCpus.at(0).inSkinitLaunch);
  EXPECT_TRUE(rig.svmCpus.skinitExecuted);
  ASSERT_TRUE(rig.skinit->launch());
  const SkinitLaunch& l = *rig.skinit->launch();
  EXPECT_EQ(l.slbBase, kSlbBase);
  EXPECT_EQ(l.entryOffset, 0x20);
  EXPECT_EQ(l.length, 0x21);
  EXPECT_EQ(l.measuredLength, 0x24u);
  EXPECT_FALSE(l.tpmPresent);  // the small machine has no TPM: the launch still starts
}

TEST(SkinitEntry, TheSlRunsWithSsOverridesAndCanLoadItsOwnGdt) {
  SkinitRig rig;
  // The SL stores through SS (flat) before it has a DS, then loads its GDT
  // (relative to EAX = SLB base) and DS, and stores through DS.
  rig.writeSlb(dlsim::test::assemble(slbSource(
      "mov dword [ss:0x120000], 0x5a5a5a5a\n"
      "lea ebx, [eax + gdt_desc - $$]\nlea ecx, [eax + gdt - $$]\nmov [ss:ebx + 2], ecx\n"
      "lgdt [ss:ebx]\nmov cx, 0x10\nmov ds, cx\nmov dword [0x120004], 0xa5a5a5a5\nhlt\n"
      "align 8\ngdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff\ngdt_desc: dw 23\ndd 0\n")));
  auto r = rig.skinitRun();
  ASSERT_TRUE(firstFault(r).empty()) << firstFault(r);
  uint32_t a = 0, b = 0;
  ASSERT_TRUE(rig.m.memory().readValue(0x120000, a));
  ASSERT_TRUE(rig.m.memory().readValue(0x120004, b));
  EXPECT_EQ(a, 0x5a5a5a5au);
  EXPECT_EQ(b, 0xa5a5a5a5u);
}

TEST(SkinitEntry, AFaultWithGifClearAndNoIdtIsAShutdown) {
  SkinitRig rig;
  rig.writeSlb(dlsim::test::assemble(slbSource("ud2\n")));
  auto r = rig.skinitRun();
  EXPECT_EQ(r.obs.cpus[0].state, "shutdown");
  EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << firstFault(r);
  EXPECT_FALSE(rig.m.cpu(0).gif());
}

}  // namespace
}  // namespace dlsim::svm::test
