// VM entry and VM exits at CPU level, on two CPUs: the AP builds tboot's
// VMCS and launches its mini-guest; the BSP sends INIT and SIPI through its
// local APIC. Expected values from the SDM (vol. 3C chapters 26-27): INIT
// in an active guest exits with basic reason 3, SIPI in wait-for-SIPI with
// reason 4 and the vector as qualification; a VM exit loads the host-state
// fields (CS/SS/DS/ES/FS/GS/TR selectors, FS/GS/TR/GDTR/IDTR bases, CR0,
// CR3, CR4, RSP, RIP, SYSENTER MSRs), GDTR/IDTR limits 0xFFFF, TR limit
// 0x67 busy 32-bit TSS, LDTR unusable, DR7 0x400, RFLAGS 2.
#include <gtest/gtest.h>

#include "cpu_model/arch_state.h"
#include "sim/errors.h"
#include "txt_model/vmx/tests/vmx_rig.h"
#include "txt_model/vmx/vmcs_fields.h"

namespace dlsim::txt::test {
namespace {

// The AP: VMX on, tboot's VMCS, VMLAUNCH (its failure logged at 0x20/0x24).
// The guest counts at 0x150000 and pauses; the host logs each exit reason
// (0x150040 + 4n, count at 0x150010), answers INIT with wait-for-SIPI and
// VMRESUME, and halts in VMX root operation on anything else, with the
// qualification at 0x150014.
std::string apProgram(const std::string& beforeLaunch = "", const std::string& guest = "") {
  return std::string(kVmxPrologue) + kVmxOn + kTbootVmcs + beforeLaunch +
         "vmlaunch\nFLAGS 0x20\nERR 0x24\nhlt\n"
         "guest_code:\n" + (guest.empty() ? "inc dword [0x150000]\npause\njmp guest_code\n" : guest) +
         "host_handler:\n"
         "mov eax, 0x4402\nvmread ecx, eax\nmov ebx, [0x150010]\nmov [0x150040 + ebx * 4], ecx\n"
         "inc dword [0x150010]\ncmp ecx, 3\njne .other\n"
         "VMW 0x4826, 3\nvmresume\nFLAGS 0x28\nhlt\n"
         ".other:\nmov eax, 0x6400\nvmread ecx, eax\nmov [0x150014], ecx\nhlt\n";
}

// The BSP: waits for the guest to run, then sends what `ipis` says.
const char* kInit = "mov dword [0xfee00310], 1 << 24\nmov dword [0xfee00300], 0x4500\n";
const char* kSipi12 = "mov dword [0xfee00310], 1 << 24\nmov dword [0xfee00300], 0x4612\n";
const char* kNmi = "mov dword [0xfee00310], 1 << 24\nmov dword [0xfee00300], 0x4400\n";
std::string waitFor(const std::string& label, uint32_t offset, uint32_t atLeast) {
  return label + ":\npause\ncmp dword [0x150000 + " + std::to_string(offset) + "], " + std::to_string(atLeast) +
         "\njb " + label + "\n";
}
std::string delay(const std::string& label) { return "mov ecx, 2000\n" + label + ":\npause\nloop " + label + "\n"; }

TEST(VmxExit, InitThenSipiLeaveTheMiniGuestWithTheHostState) {
  VmxRig rig(2);
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0, 50) + kInit + waitFor("i", 0x10, 1) + delay("d") +
                          kSipi12 + waitFor("s", 0x10, 2) + "hlt\n";
  auto r = rig.run(bsp, apProgram());
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r, 1);
  EXPECT_EQ(rig.log(0x40), 3u);    // INIT
  EXPECT_EQ(rig.log(0x44), 4u);    // SIPI
  EXPECT_EQ(rig.log(0x14), 0x12u);  // the SIPI's vector
  const VmxCpuState& s = rig.vmx->at(1);
  EXPECT_TRUE(s.on);
  EXPECT_FALSE(s.nonRoot);
  EXPECT_EQ(s.exits, 2u);

  // The VMCS after the SIPI exit: exit information and the saved guest.
  const Vmcs* v = rig.vmx->region(kVmcsRegion);
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(v->launched);
  EXPECT_EQ(v->get(vmcs::kExitReason), 4u);
  EXPECT_EQ(v->get(vmcs::kExitQualification), 0x12u);
  EXPECT_EQ(v->get(vmcs::kExitInterruptionInfo) >> 31, 0u);
  EXPECT_EQ(v->get(vmcs::kIdtVectoringInfo) >> 31, 0u);
  EXPECT_EQ(v->get(vmcs::kGuestActivityState), 3u);  // it was waiting for SIPI
  EXPECT_EQ(v->get(vmcs::kGuestRsp), 0x168000u);     // the guest's loop does not use its stack
  EXPECT_EQ(v->get(vmcs::kGuestCsSelector), 0x08u);
  EXPECT_EQ(v->get(vmcs::kGuestEsAccessRights + 2), 0xc09bu);  // CS
  EXPECT_EQ(v->get(vmcs::kGuestEsAccessRights + 14), 0x808bu);  // TR
  const uint64_t guestRip = v->get(vmcs::kGuestRip);
  EXPECT_GE(guestRip, kApCode);
  EXPECT_LT(guestRip, kApCode + 0x1000);

  // CPU 1 halted in the host handler: everything but RIP is the host state.
  Cpu& ap = rig.m.cpu(1);
  const ArchState a = ap.archState();
  EXPECT_EQ(a.cr0, v->get(vmcs::kHostCr0));
  EXPECT_EQ(a.cr0 & 0x80000021u, 0x80000021u);
  EXPECT_EQ(a.cr3, 0x300000u);
  EXPECT_EQ(a.cr4, v->get(vmcs::kHostCr4));
  EXPECT_EQ(a.cr4 & 0x2010u, 0x2010u);
  EXPECT_EQ(a.dr7, 0x400u);
  EXPECT_EQ(a.gprs[ArchState::Rsp], kHostStack);
  EXPECT_EQ(a.cs.selector, 0x08);
  EXPECT_EQ(a.cs.base, 0u);
  EXPECT_EQ(a.cs.limit, 0xffffffffu);
  EXPECT_EQ(a.cs.attributes, 0x00c09b00u);  // execute/read accessed, S, P, D/B, G
  for (const SegmentState* d : {&a.ss, &a.ds, &a.es}) {
    EXPECT_EQ(d->selector, 0x10);
    EXPECT_EQ(d->base, 0u);
    EXPECT_EQ(d->limit, 0xffffffffu);
    EXPECT_EQ(d->attributes, 0x00c09300u);  // read/write accessed, S, P, D/B, G
  }
  EXPECT_EQ(a.fs.selector, 0x10);
  EXPECT_EQ(a.fs.base, kHostFsBase);
  EXPECT_EQ(a.gs.base, kHostGsBase);
  EXPECT_EQ(a.tr.selector, 0x18);
  EXPECT_EQ(a.tr.base, 0u);
  EXPECT_EQ(a.tr.limit, 0x67u);
  EXPECT_EQ(a.tr.attributes, 0x00008b00u);  // busy 32-bit TSS, present, byte granular
  EXPECT_EQ(a.ldtr.attributes & SegmentState::kPresent, 0u);
  EXPECT_EQ(a.gdtr.base, v->get(vmcs::kHostGdtrBase));
  EXPECT_EQ(a.gdtr.limit, 0xffff);
  EXPECT_EQ(a.idtr.base, v->get(vmcs::kHostIdtrBase));
  EXPECT_EQ(a.idtr.limit, 0xffff);
  EXPECT_EQ(ap.engineMsr(0x174), 0x08u);
  EXPECT_EQ(ap.engineMsr(0x175), kHostSysenterEsp);
  EXPECT_EQ(ap.engineMsr(0x176), kHostSysenterEip);
  // RFLAGS is 2 after the exit; the handler's instructions have set
  // arithmetic flags since, so only IF, VM and bit 1 are checked.
  EXPECT_EQ(a.rflags & 0x20202u, 2u);

  auto report = vmxReport(rig.m, *rig.vmx);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].cpu, 1);
  EXPECT_EQ(report[0].state, "vmx-root");
  EXPECT_EQ(report[0].exits, 2u);
  EXPECT_EQ(report[0].lastExitReason, 4u);
}

TEST(VmxExit, InitLeavesTheGuestWaitingForSipi) {
  VmxRig rig(2);
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0, 50) + kInit + waitFor("i", 0x10, 1) + delay("d") + "hlt\n";
  auto r = rig.run(bsp, apProgram());
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[1].state, kVmxWaitForSipiSleep);
  auto report = vmxReport(rig.m, *rig.vmx);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].state, "vmx-guest wait-for-sipi");
  EXPECT_EQ(report[0].vmcs, kVmcsRegion);
  EXPECT_EQ(report[0].exits, 1u);
  EXPECT_EQ(report[0].lastExitReason, 3u);
  const Vmcs* v = rig.vmx->region(kVmcsRegion);
  EXPECT_EQ(v->get(vmcs::kExitReason), 3u);
  EXPECT_EQ(v->get(vmcs::kExitQualification), 0u);
  EXPECT_EQ(v->get(vmcs::kGuestActivityState), 3u);  // what the host wrote before VMRESUME
}

TEST(VmxExit, GuestRunsUntilAnInit) {
  // No IPI: the guest keeps running (active) until the budget ends the run;
  // a second INIT to a guest waiting for SIPI is blocked and held.
  VmxRig rig(2);
  auto r = rig.run("mov esp, 0x170000\n" + waitFor("g", 0, 50) + "hlt\n", apProgram());
  EXPECT_EQ(r.stop.reason, "instruction-limit") << r.stop.detail;
  auto report = vmxReport(rig.m, *rig.vmx);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].state, "vmx-guest active");
  EXPECT_EQ(report[0].exits, 0u);
  EXPECT_EQ(r.obs.cpus[1].state, "running");
}

TEST(VmxExit, SecondInitInWaitForSipiIsHeld) {
  VmxRig rig(2);
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0, 50) + kInit + waitFor("i", 0x10, 1) + delay("d") +
                          kInit + delay("e") + "hlt\n";
  auto r = rig.run(bsp, apProgram());
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[1].state, kVmxWaitForSipiSleep);
  EXPECT_EQ(rig.log(0x10), 1u);  // one exit only
  EXPECT_TRUE(rig.vmx->at(1).initHeld);
}

TEST(VmxExit, NmiWithNmiExiting) {
  VmxRig rig(2);
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0, 50) + kNmi + waitFor("n", 0x10, 1) + "hlt\n";
  auto r = rig.run(bsp, apProgram());
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(rig.log(0x40), 0u);  // exception or NMI
  const Vmcs* v = rig.vmx->region(kVmcsRegion);
  EXPECT_EQ(v->get(vmcs::kExitInterruptionInfo), 0x80000202u);  // vector 2, type NMI, valid
}

TEST(VmxExit, VmcallExitsWithItsLength) {
  VmxRig rig(2);
  auto r = rig.run("mov esp, 0x170000\nhlt\n",
                   apProgram("mov dword [0x150030], guest_code\n", "vmcall\njmp guest_code\n"));
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(rig.log(0x40), 18u);
  const Vmcs* v = rig.vmx->region(kVmcsRegion);
  EXPECT_EQ(v->get(vmcs::kExitInstructionLength), 3u);
  // The saved guest RIP is the VMCALL's own address (guest_code).
  EXPECT_EQ(v->get(vmcs::kGuestRip), rig.log(0x30));
}

TEST(VmxExit, GuestInstructionsWithUnmodelledExitsStopNamed) {
  {
    // tboot's VMCS sets MWAIT exiting: an MWAIT in its guest would exit (36).
    VmxRig rig(2);
    auto r = rig.run("mov esp, 0x170000\nhlt\n", apProgram("", "mov eax, 0x150000\nxor ecx, ecx\nxor edx, edx\n"
                                                                  "monitor\nmwait\njmp guest_code\n"));
    EXPECT_EQ(r.stop.reason, "guest-error");
    EXPECT_EQ(r.stop.detail.rfind("vmx: unsupported: MWAIT in VMX non-root operation", 0), 0u) << r.stop.detail;
  }
  {
    // No MSR bitmaps: every RDMSR exits (31).
    VmxRig rig(2);
    auto r = rig.run("mov esp, 0x170000\nhlt\n", apProgram("", "mov ecx, 0x10\nrdmsr\njmp guest_code\n"));
    EXPECT_EQ(r.stop.detail.rfind("vmx: unsupported: RDMSR in VMX non-root operation", 0), 0u) << r.stop.detail;
  }
  {
    // A VMX instruction in the guest (its VM exit is not modelled).
    VmxRig rig(2);
    auto r = rig.run("mov esp, 0x170000\nhlt\n", apProgram("", "vmptrst [0x150100]\njmp guest_code\n"));
    EXPECT_EQ(r.stop.detail.rfind("vmx: unsupported: VMPTRST in VMX non-root operation", 0), 0u) << r.stop.detail;
  }
  {
    // The same RDMSR in VMX root operation runs as usual.
    VmxRig rig(1);
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "mov ecx, 0x480\nrdmsr\nmov [0x150000], eax\nhlt\n");
    EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
    EXPECT_EQ(rig.log(0), 4u);
  }
}

TEST(VmxEntry, LaunchStateAndControlChecks) {
  {
    // VMRESUME of a clear VMCS: VMfailValid 5.
    VmxRig rig(1);
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + kTbootVmcs +
                     "vmresume\nFLAGS 0\nERR 4\nhlt\nguest_code: hlt\nhost_handler: hlt\n");
    EXPECT_EQ(rig.cfZf(0), std::make_pair(false, true));
    EXPECT_EQ(rig.log(4), 5u);
  }
  {
    // Pin-based controls without their default-1 bits: VMfailValid 7.
    VmxRig rig(1);
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + kTbootVmcs +
                     "VMW 0x4000, 0\nvmlaunch\nFLAGS 0\nERR 4\nhlt\nguest_code: hlt\nhost_handler: hlt\n");
    EXPECT_EQ(rig.cfZf(0), std::make_pair(false, true));
    EXPECT_EQ(rig.log(4), 7u);
  }
  {
    // Host TR selector 0: VMfailValid 8.
    VmxRig rig(1);
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + kTbootVmcs +
                     "VMW 0x0c0c, 0\nvmlaunch\nFLAGS 0\nERR 4\nhlt\nguest_code: hlt\nhost_handler: hlt\n");
    EXPECT_EQ(rig.cfZf(0), std::make_pair(false, true));
    EXPECT_EQ(rig.log(4), 8u);
  }
  {
    // An activity state the processor does not have (4): the VM entry fails
    // after the checks of controls and host state, as a VM exit with reason
    // 33 and bit 31 set, to the host RIP.
    VmxRig rig(1);
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + kTbootVmcs +
                     "VMW 0x4826, 4\nvmlaunch\nmov dword [0x150000], 0xbad\nhlt\nguest_code: hlt\n"
                     "host_handler:\nmov eax, 0x4402\nvmread ecx, eax\nmov [0x150004], ecx\nhlt\n");
    EXPECT_EQ(rig.log(0), 0u);
    EXPECT_EQ(rig.log(4), 0x80000021u);
    EXPECT_FALSE(rig.vmx->region(kVmcsRegion)->launched);
    EXPECT_FALSE(rig.vmx->at(0).nonRoot);
  }
  {
    // VMLAUNCH of a launched VMCS: VMfailValid 4 (the guest's VMCALL exits first).
    VmxRig rig(1);
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + kTbootVmcs +
                     "vmlaunch\nhlt\nguest_code: vmcall\nhost_handler:\nvmlaunch\nFLAGS 0\nERR 4\nhlt\n");
    EXPECT_EQ(rig.cfZf(0), std::make_pair(false, true));
    EXPECT_EQ(rig.log(4), 4u);
  }
}

TEST(VmxEntry, UnsupportedControlsStopNamed) {
  // A 64-bit guest (VM-entry control "IA-32e mode guest"), which the
  // processor allows and dlsim does not model.
  VmxRig rig(1);
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + kTbootVmcs +
                   "VMW 0x4012, 0x000011ff | 0x200\nvmlaunch\nhlt\nguest_code: hlt\nhost_handler: hlt\n");
  EXPECT_EQ(r.stop.reason, "guest-error");
  EXPECT_EQ(r.stop.detail.rfind("vmx: unsupported: VMLAUNCH with VM-entry controls 0x200", 0), 0u) << r.stop.detail;
}

TEST(VmxExit, InitHeldInRootIsTakenAtVmxoff) {
  // INIT while the AP is in VMX root operation is blocked; VMXOFF releases
  // it and the AP waits for SIPI.
  VmxRig rig(2);
  const std::string ap = std::string(kVmxPrologue) + kVmxOn + "mov dword [0x150000], 1\n" + waitFor("w", 4, 1) +
                         "vmxoff\nmov dword [0x150008], 1\nhlt\n";
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0, 1) + kInit + "mov dword [0x150004], 1\nhlt\n";
  auto r = rig.run(bsp, ap);
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(r.obs.cpus[1].state, "wait-for-sipi");
  EXPECT_EQ(rig.log(8), 0u);  // the INIT came before the next instruction
  EXPECT_FALSE(rig.vmx->at(1).on);
}

TEST(VmxExit, InitHeldInRootExitsRightAfterTheVmEntry) {
  // INIT while the AP builds its VMCS (VMX root operation) is held; the
  // VMLAUNCH into an active guest unblocks it: VM exit 3 before the guest
  // runs an instruction (the counter stays 0).
  VmxRig rig(2);
  const std::string ap = apProgram("mov dword [0x150030], 1\n" + waitFor("w", 0x34, 1));
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0x30, 1) + kInit + "mov dword [0x150034], 1\n" +
                          waitFor("i", 0x10, 1) + delay("d") + "hlt\n";
  auto r = rig.run(bsp, ap);
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail;
  EXPECT_EQ(rig.log(0x40), 3u);
  EXPECT_EQ(rig.log(0), 0u);
  EXPECT_FALSE(rig.vmx->at(1).initHeld);
  EXPECT_EQ(r.obs.cpus[1].state, kVmxWaitForSipiSleep);
}

TEST(VmxSnapshot, RoundTripAndMalformed) {
  VmxRig rig(2);
  const std::string bsp = "mov esp, 0x170000\n" + waitFor("g", 0, 50) + kInit + waitFor("i", 0x10, 1) + delay("d") + "hlt\n";
  rig.run(bsp, apProgram());
  const auto saved = rig.vmx->saveState();
  VmxRig other(2);
  other.vmx->restoreState(saved);
  EXPECT_EQ(other.vmx->saveState(), saved);
  EXPECT_EQ(other.vmx->vmcsRegions().size(), rig.vmx->vmcsRegions().size());
  EXPECT_TRUE(other.vmx->at(1).nonRoot);
  auto bad = saved;
  bad.resize(bad.size() - 3);
  EXPECT_THROW(other.vmx->restoreState(bad), InputError);
}

}  // namespace
}  // namespace dlsim::txt::test
