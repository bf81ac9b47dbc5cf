// The SVM CPU side at CPU level: CPUID from the profile, EFER.SVME, VM_CR and
// VM_HSAVE_PA write rules, CLGI/STGI faults, the GIF holding a fixed
// interrupt, an NMI and an INIT until STGI, R_INIT turning INIT into #SX,
// a shutdown with GIF=0 and the snapshot part. Expected CPUID values are
// composed here from the APM's formula, not read from the model.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "cpu_model/ipi.h"
#include "sim/errors.h"
#include "svm_model/cpu/svm_rules.h"
#include "svm_model/cpu/tests/svm_rig.h"

namespace dlsim::svm {
namespace {

using test::SvmRig;

// Sets EFER.SVME (what pre-launch code does before CLGI or SKINIT).
const std::string kSetSvme = "mov ecx, 0xc0000080\nrdmsr\nor eax, 0x1000\nwrmsr\n";

uint32_t read32(Machine& m, uint64_t at) {
  uint32_t v = 0;
  EXPECT_TRUE(m.memory().read(at, &v, 4));
  return v;
}

TEST(SvmCpuid, ProfileIdentityAndSvmLeaves) {
  SvmRig rig;
  auto r = rig.run(R"(
  mov eax, 0x80000001
  cpuid
  mov [0x3000], ecx
  mov eax, 0x8000000a
  cpuid
  mov [0x3004], eax
  mov [0x3008], ebx
  mov [0x300c], edx
  mov eax, 1
  cpuid
  mov [0x3010], eax
  mov eax, 0x80000000
  cpuid
  mov [0x3014], eax
  xor eax, eax
  cpuid
  mov [0x3018], ebx
  mov [0x301c], edx
  mov [0x3020], ecx
  hlt
)");
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  const uint32_t ecx = read32(rig.m, 0x3000);
  EXPECT_TRUE(ecx & (1u << 2)) << "SVM";
  EXPECT_TRUE(ecx & (1u << 12)) << "SKINIT";
  EXPECT_EQ(read32(rig.m, 0x3004), 1u);       // SVM revision
  EXPECT_EQ(read32(rig.m, 0x3008), 8u);       // ASIDs
  EXPECT_EQ(read32(rig.m, 0x300c), 0x14FFu);  // features
  // Family 16h model 30h stepping 1: base family F + extended 7, extended model 3.
  EXPECT_EQ(read32(rig.m, 0x3010), 0x00730F01u);
  EXPECT_GE(read32(rig.m, 0x3014), 0x8000000Au);
  char vendor[13] = {};
  for (int i = 0; i < 3; ++i) {
    const uint32_t w = read32(rig.m, 0x3018 + 4 * i);
    std::memcpy(vendor + 4 * i, &w, 4);
  }
  EXPECT_STREQ(vendor, "AuthenticAMD");
}

TEST(SvmCpuid, NoSkinitBitWhereTheProfileHasNone) {
  SvmProfile p = test::testProfile();
  p.skinit = false;
  SvmRig rig(1, p);
  rig.run("mov eax, 0x80000001\ncpuid\nmov [0x3000], ecx\nhlt\n");
  EXPECT_TRUE(read32(rig.m, 0x3000) & (1u << 2));
  EXPECT_FALSE(read32(rig.m, 0x3000) & (1u << 12));
}

// The scenario's CPUID wins over the profile's (cpu_model/cpuid_profile.h):
// a scenario that removes "skinit" gets the bit clear although the profile
// sets it, and then STGI without EFER.SVME is #UD (APM vol. 2 15.4).
TEST(SvmCpuid, AScenarioRemovingSkinitWinsOverTheProfile) {
  MachineConfig c = test::amdMachine();
  c.cpuid.remove = {"skinit"};
  Machine m(c);
  installSvmCpu(m, test::testProfile(), {});
  dlsim::test::loadAndBoot(m, dlsim::test::assemble("bits 32\norg 0x100000\n"
                                                    "mov eax, 0x80000001\ncpuid\nmov [0x3000], ecx\nstgi\nhlt\n"),
                           dlsim::test::kMainRam, EntryMode::Protected);
  auto r = dlsim::test::runToStop(m);
  EXPECT_TRUE(read32(m, 0x3000) & (1u << 2));    // SVM, from the profile
  EXPECT_FALSE(read32(m, 0x3000) & (1u << 12));  // SKINIT, removed by the scenario
  EXPECT_EQ(test::firstFault(r).rfind("#UD", 0), 0u) << test::firstFault(r);
}

TEST(SvmCpuid, AnIntelMachineIsRefused) {
  Machine m(dlsim::test::smallMachine());
  try {
    installSvmCpu(m, test::testProfile(), {}, "s.json: /svm/profile");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: /svm/profile"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"amd\""), std::string::npos) << e.what();
  }
}

// WRMSR `msr` <- `value`, then RDMSR of it into [0x3000] (low) and [0x3004] (high).
std::string writeAndRead(uint32_t msr, uint64_t value, const std::string& before = "") {
  char text[256];
  std::snprintf(text, sizeof text,
                "mov ecx, 0x%x\nmov eax, 0x%x\nmov edx, 0x%x\nwrmsr\nrdmsr\nmov [0x3000], eax\nmov [0x3004], edx\nhlt\n",
                msr, static_cast<uint32_t>(value), static_cast<uint32_t>(value >> 32));
  return before + text;
}

uint64_t readBack(Machine& m) { return read32(m, 0x3000) | (uint64_t{read32(m, 0x3004)} << 32); }

TEST(SvmMsrs, EferSvmeIsWritableUnlessSvmDis) {
  {
    SvmRig rig;
    auto r = rig.run(writeAndRead(kMsrEfer, kEferSvme));
    EXPECT_EQ(test::firstFault(r), "") << r.stop.detail;
    EXPECT_EQ(readBack(rig.m) & kEferSvme, kEferSvme);
  }
  {
    SvmCpuConfig c;
    c.powerOnVmCr = kVmCrSvmDis;
    SvmRig rig(1, test::testProfile(), c);
    auto r = rig.run(writeAndRead(kMsrEfer, kEferSvme));
    EXPECT_EQ(test::firstFault(r).rfind("#GP(0x0)", 0), 0u) << test::firstFault(r);
  }
  {
    SvmRig rig;  // bit 13 is reserved
    auto r = rig.run(writeAndRead(kMsrEfer, 1ull << 13));
    EXPECT_EQ(test::firstFault(r).rfind("#GP(0x0)", 0), 0u) << test::firstFault(r);
  }
}

// Without the SVM model an AMD CPU reports no SVM, so SVME is reserved (core rule).
TEST(SvmMsrs, EferSvmeIsReservedWithoutTheModel) {
  Machine m(test::amdMachine());
  dlsim::test::loadAndBoot(m, dlsim::test::assemble("bits 32\norg 0x100000\n" + writeAndRead(kMsrEfer, kEferSvme)),
                           dlsim::test::kMainRam, EntryMode::Protected);
  auto r = dlsim::test::runToStop(m);
  EXPECT_EQ(test::firstFault(r).rfind("#GP(0x0)", 0), 0u) << test::firstFault(r);
}

TEST(SvmMsrs, VmCrRules) {
  struct Case {
    uint64_t powerOn;
    std::string before;
    uint64_t write;
    bool gp;
    uint64_t after;
  };
  const Case cases[] = {
      {0, "", kVmCrRInit | kVmCrDpd, false, kVmCrRInit | kVmCrDpd},
      {0, "", 1ull << 5, true, 0},                                  // reserved bit
      {0, "", 1ull << 32, true, 0},                                 // reserved bit
      {kVmCrLock | kVmCrSvmDis, "", 0, false, kVmCrLock | kVmCrSvmDis},  // LOCK, SVMDIS kept
      {kVmCrLock | kVmCrSvmDis, "", kVmCrDpd, false, kVmCrLock | kVmCrSvmDis | kVmCrDpd},
      {0, kSetSvme, kVmCrSvmDis, true, 0},                          // SVMDIS while EFER.SVME
      {0, "", kVmCrSvmDis | kVmCrLock, false, kVmCrSvmDis | kVmCrLock},
  };
  for (const Case& c : cases) {
    SvmCpuConfig config;
    config.powerOnVmCr = c.powerOn;
    SvmRig rig(1, test::testProfile(), config);
    auto r = rig.run(writeAndRead(kMsrVmCr, c.write, c.before));
    if (c.gp) {
      EXPECT_EQ(test::firstFault(r).rfind("#GP(0x0)", 0), 0u) << std::hex << c.write << ": " << test::firstFault(r);
    } else {
      EXPECT_EQ(test::firstFault(r), "") << std::hex << c.write;
      EXPECT_EQ(readBack(rig.m), c.after) << std::hex << c.write;
    }
    EXPECT_EQ(rig.svm->cpus().at(0).vmCr, c.after) << std::hex << c.write;
  }
}

TEST(SvmMsrs, HsavePaMustBeAlignedAndInRange) {
  {
    SvmRig rig;
    rig.run(writeAndRead(kMsrVmHsavePa, 0x7F000));
    EXPECT_EQ(readBack(rig.m), 0x7F000u);
  }
  for (uint64_t bad : {uint64_t{0x7F010}, uint64_t{1} << 52}) {
    SvmRig rig;
    auto r = rig.run(writeAndRead(kMsrVmHsavePa, bad));
    EXPECT_EQ(test::firstFault(r).rfind("#GP(0x0)", 0), 0u) << std::hex << bad << ": " << test::firstFault(r);
    EXPECT_EQ(rig.svm->cpus().at(0).hsavePa, 0u);
  }
}

TEST(SvmInstructions, ClgiNeedsSvmeStgiAlsoSkinit) {
  {
    SvmRig rig;
    auto r = rig.run("clgi\nhlt\n");
    EXPECT_EQ(test::firstFault(r).rfind("#UD", 0), 0u) << test::firstFault(r);
  }
  {
    SvmRig rig;  // CPUID SKINIT: STGI without SVME
    auto r = rig.run("stgi\nmov eax, 1\nhlt\n");
    EXPECT_EQ(test::firstFault(r), "");
    EXPECT_EQ(r.obs.cpus[0].registers.at("rax"), 1u);
  }
  {
    SvmProfile p = test::testProfile();
    p.skinit = false;
    SvmRig rig(1, p);
    auto r = rig.run("stgi\nhlt\n");
    EXPECT_EQ(test::firstFault(r).rfind("#UD", 0), 0u) << test::firstFault(r);
  }
  {
    SvmRig rig;
    auto r = rig.run(kSetSvme + "clgi\nmov eax, 1\nhlt\n");
    EXPECT_EQ(test::firstFault(r), "");
    EXPECT_FALSE(rig.svm->cpus().at(0).gif);
    EXPECT_FALSE(rig.m.cpu(0).gif());
  }
}

TEST(SvmInstructions, RealModeIsUd) {
  SvmRig rig;
  // The IVT sends #UD (vector 6) to `ud`.
  dlsim::test::loadAndBoot(rig.m,
                           dlsim::test::assemble("bits 16\norg 0x7c00\nmov word [6 * 4], ud\nmov word [6 * 4 + 2], 0\n"
                                                 "stgi\nmov ax, 0x1234\nhlt\nud: mov bx, 0x5678\nhlt\n"),
                           0x7c00, EntryMode::Real);
  auto r = dlsim::test::runToStop(rig.m);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rbx") & 0xffff, 0x5678u);
  EXPECT_NE(r.obs.cpus[0].registers.at("rax") & 0xffff, 0x1234u);
}

TEST(SvmInstructions, Cpl3IsGp) {
  SvmRig rig;
  rig.boot("clgi\nhlt\n");
  ArchState a = rig.m.cpu(0).archState();
  a.efer |= kEferSvme;
  a.cs = SegmentState::flatCode32(0x1B);
  a.cs.attributes |= 3u << 13;
  a.ss = a.ds = a.es = SegmentState::flatData32(0x23);
  a.ss.attributes |= 3u << 13;
  rig.m.cpu(0).setArchState(a);
  auto r = dlsim::test::runToStop(rig.m);
  EXPECT_EQ(test::firstFault(r).rfind("#GP(0x0)", 0), 0u) << test::firstFault(r);
  EXPECT_TRUE(rig.svm->cpus().at(0).gif);
}

TEST(SvmInstructions, VmrunIsNotModelled) {
  {
    SvmRig rig;
    auto r = rig.run("vmrun\nhlt\n");
    EXPECT_EQ(test::firstFault(r).rfind("#UD", 0), 0u) << test::firstFault(r);
  }
  {
    SvmRig rig;
    auto r = rig.run(kSetSvme + "mov eax, 0x5000\nvmrun\nhlt\n");
    EXPECT_EQ(r.stop.reason, stop_reason::kGuestError);
    EXPECT_NE(r.stop.detail.find("VMRUN"), std::string::npos) << r.stop.detail;
  }
}

// ---- the GIF -----------------------------------------------------------------

TEST(SvmGif, HoldsAFixedInterruptUntilStgi) {
  SvmRig rig;
  auto r = rig.run("mov esp, 0x90000\nmov dword [0xfee000f0], 0x1ff\nlidt [idtr]\nsti\n" + kSetSvme + R"(
  clgi
  mov dword [0xfee00300], 0x00040040  ; self IPI, vector 0x40
  pause
  mov ebx, [0x2008]
  stgi
  pause
  mov ecx, [0x2008]
  hlt
)" + test::kIdt);
  ASSERT_EQ(r.stop.reason, stop_reason::kAllHalted) << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[0].registers.at("rbx"), 0u);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rcx"), 0x40u);
}

// The guest clears GIF and halts; the test sends `kind` (held), then wakes
// the CPU after its HLT, where it runs STGI and reads the handlers' markers.
dlsim::test::GuestRun heldThenStgi(SvmRig& rig, IpiKind kind, const std::string& before = "") {
  rig.boot("mov esp, 0x90000\nlidt [idtr]\n" + before + kSetSvme + R"(
  clgi
  hlt
  stgi
  nop
  mov ebx, [0x2000]
  mov esi, [0x2004]
  hlt
)" + test::kIdt);
  auto first = dlsim::test::runToStop(rig.m);
  EXPECT_EQ(first.stop.reason, stop_reason::kAllHalted) << first.stop.detail;
  rig.m.deliverIpi(0, kind, kind == IpiKind::Nmi ? 2 : 0);
  const SvmCpuState& s = rig.svm->cpus().at(0);
  EXPECT_TRUE(kind == IpiKind::Nmi ? s.nmiHeld : s.initHeld);
  EXPECT_EQ(rig.m.cpu(0).state(), CpuState::Halted);  // nothing woke it
  rig.m.wakeCpu(0, rig.m.cpu(0).archState());
  return dlsim::test::runToStop(rig.m);
}

TEST(SvmGif, HoldsAnNmiUntilStgi) {
  SvmRig rig;
  auto r = heldThenStgi(rig, IpiKind::Nmi);
  EXPECT_EQ(r.obs.cpus[0].registers.at("rbx"), 0x02u) << r.stop.detail;
  EXPECT_FALSE(rig.svm->cpus().at(0).nmiHeld);
  EXPECT_TRUE(rig.svm->cpus().at(0).gif);
}

TEST(SvmGif, HoldsAnInitUntilStgi) {
  SvmRig rig;
  auto r = heldThenStgi(rig, IpiKind::Init);
  EXPECT_EQ(r.obs.cpus[0].state, "wait-for-sipi") << r.stop.detail;
  EXPECT_FALSE(rig.svm->cpus().at(0).initHeld);
}

TEST(SvmGif, StgiWithRInitTurnsTheHeldInitIntoSx) {
  SvmRig rig;
  auto r = heldThenStgi(rig, IpiKind::Init, "mov ecx, 0xc0010114\nmov eax, 2\nxor edx, edx\nwrmsr\n");
  EXPECT_EQ(r.obs.cpus[0].state, "halted") << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[0].registers.at("rsi"), (1u << 8) | 30u);  // #SX, error code 1
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_EQ(r.obs.brokenRules[0].id, svm_rules::kStgiWhileRInit.id);
  EXPECT_EQ(r.obs.brokenRules[0].mode, RuleMode::Hardware);
}

TEST(SvmGif, StgiWithRInitStopsInStopMode) {
  SvmRig rig;
  LaunchRuleModes modes;
  modes.modes[svm_rules::kStgiWhileRInit.id] = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto r = rig.run(kSetSvme + "mov ecx, 0xc0010114\nmov eax, 2\nxor edx, edx\nwrmsr\nclgi\nstgi\nhlt\n");
  EXPECT_EQ(r.stop.reason, stop_reason::kLaunchRule);
  EXPECT_NE(r.stop.detail.find("svm.stgi-while-r-init"), std::string::npos) << r.stop.detail;
  EXPECT_FALSE(rig.svm->cpus().at(0).gif);
}

TEST(SvmGif, RInitTurnsInitIntoSxWhileGifIsSet) {
  SvmRig rig;
  rig.boot("mov esp, 0x90000\nlidt [idtr]\nmov ecx, 0xc0010114\nmov eax, 2\nxor edx, edx\nwrmsr\nhlt\n"
           "mov esi, [0x2004]\nhlt\n" + std::string(test::kIdt));
  dlsim::test::runToStop(rig.m);
  rig.m.deliverIpi(0, IpiKind::Init, 0);
  auto r = dlsim::test::runToStop(rig.m);
  EXPECT_EQ(r.obs.cpus[0].state, "halted");
  EXPECT_EQ(r.obs.cpus[0].registers.at("rsi"), (1u << 8) | 30u);
}

TEST(SvmGif, ShutdownWithGifClearIsReported) {
  SvmRig rig;
  auto r = rig.run(kSetSvme + "clgi\nud2\n");
  EXPECT_EQ(r.stop.reason, stop_reason::kTripleFault);
  EXPECT_NE(r.stop.detail.find("shutdown with GIF=0"), std::string::npos) << r.stop.detail;
  SvmRig plain;
  auto p = plain.run("ud2\n");
  EXPECT_EQ(p.stop.detail.find("GIF"), std::string::npos) << p.stop.detail;
}

TEST(SvmState, SnapshotRoundTripAndReset) {
  SvmCpuConfig c;
  c.powerOnVmCr = kVmCrLock;
  SvmRig rig(2, test::testProfile(), c);
  SvmCpus& cpus = rig.svm->cpus();
  cpus.at(1).gif = false;
  cpus.at(1).vmCr = kVmCrRInit | kVmCrDpd;
  cpus.at(0).hsavePa = 0x5000;
  cpus.at(1).initHeld = true;
  cpus.skinitExecuted = true;
  const std::vector<uint8_t> saved = rig.svm->saveState();
  rig.svm->resetState(ResetKind::Warm);
  EXPECT_TRUE(cpus.at(1).gif);
  EXPECT_EQ(cpus.at(1).vmCr, kVmCrLock);
  EXPECT_FALSE(cpus.skinitExecuted);
  rig.svm->restoreState(saved);
  EXPECT_FALSE(rig.svm->cpus().at(1).gif);
  EXPECT_EQ(rig.svm->cpus().at(1).vmCr, kVmCrRInit | kVmCrDpd);
  EXPECT_EQ(rig.svm->cpus().at(0).hsavePa, 0x5000u);
  EXPECT_TRUE(rig.svm->cpus().at(1).initHeld);
  EXPECT_TRUE(rig.svm->cpus().skinitExecuted);
  std::vector<uint8_t> cut(saved.begin(), saved.end() - 3);
  EXPECT_THROW(rig.svm->restoreState(cut), InputError);
}

}  // namespace
}  // namespace dlsim::svm
