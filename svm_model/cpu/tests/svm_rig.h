// What the SVM CPU-level tests share: a small AMD machine (sim/tests/machine)
// with the SVM CPU side installed from a profile, guest helpers (an IDT whose
// handlers record what they took) and the first fault of a run.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "sim/tests/machine/small_machine.h"
#include "svm_model/cpu/svm_cpu.h"
#include "svm_model/profiles/svm_profile.h"

namespace dlsim::svm::test {

// A family 16h part, as the apu2 profile but built here.
inline SvmProfile testProfile() {
  SvmProfile p;
  p.name = "test-fam16";
  p.family = 0x16;
  p.model = 0x30;
  p.stepping = 1;
  p.svmRevision = 1;
  p.asids = 8;
  p.svmFeatures = 0x14FF;
  return p;
}

inline MachineConfig amdMachine(int cpus = 1) {
  MachineConfig c = dlsim::test::smallMachine(cpus);
  c.cpuid.vendor = Vendor::Amd;
  return c;
}

struct SvmRig {
  explicit SvmRig(int cpus = 1, const SvmProfile& profile = testProfile(), const SvmCpuConfig& config = {})
      : m(amdMachine(cpus)), svm(&installSvmCpu(m, profile, config)) {}
  // Boots a 32-bit protected-mode guest (`body` after "bits 32 / org 0x100000").
  void boot(const std::string& body) {
    dlsim::test::loadAndBoot(m, dlsim::test::assemble("bits 32\norg 0x100000\n" + body), dlsim::test::kMainRam,
                             EntryMode::Protected);
  }
  dlsim::test::GuestRun run(const std::string& body) {
    boot(body);
    return dlsim::test::runToStop(m);
  }
  Machine m;
  SvmCpu* svm;
};

// The first exception the guest took (no IDT: every fault ends in a triple
// fault whose chain starts with it), e.g. "#GP(0x0) at 0x100010".
inline std::string firstFault(const dlsim::test::GuestRun& r, int cpu = 0) {
  const auto& chain = r.obs.cpus.at(static_cast<size_t>(cpu)).exceptionChain;
  return chain.empty() ? std::string() : chain[0];
}

// Guest text: an IDT at label `idt` with 32-bit interrupt gates for vectors
// 2 (NMI), 30 (#SX) and 0x40 (a fixed interrupt), loaded by `lidt [idtr]`.
// Each handler stores its vector's marker (0x02, 0x1e + error code << 8,
// 0x40) at [0x2000 + 4 * slot] and returns.
inline const char* kIdt = R"(
nmi_handler:
  mov dword [0x2000], 0x02
  iret
sx_handler:
  pop eax
  shl eax, 8
  or eax, 0x1e
  mov dword [0x2004], eax
  iret
int40_handler:
  mov dword [0x2008], 0x40
  mov dword [0xfee000b0], 0
  iret
align 8
idt:
  times 2 dq 0
  dw (nmi_handler - $$ + 0x100000) & 0xffff, 0x10
  db 0, 0x8e
  dw (nmi_handler - $$ + 0x100000) >> 16
  times 27 dq 0
  dw (sx_handler - $$ + 0x100000) & 0xffff, 0x10
  db 0, 0x8e
  dw (sx_handler - $$ + 0x100000) >> 16
  times 0x40 - 31 dq 0
  dw (int40_handler - $$ + 0x100000) & 0xffff, 0x10
  db 0, 0x8e
  dw (int40_handler - $$ + 0x100000) >> 16
idtr:
  dw 0x41 * 8 - 1
  dd idt - $$ + 0x100000
)";

}  // namespace dlsim::svm::test
