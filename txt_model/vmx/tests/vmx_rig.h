// What the VMX tests share: a small machine (sim/tests/machine) with VMX
// installed, IA32_FEATURE_CONTROL and SMX operation as the test sets them,
// and guest pieces in NASM: a prologue that turns on paging (4 MiB identity
// pages, as tboot's APs do), CR0.NE and CR4.VMXE; VMXON/VMCLEAR/VMPTRLD;
// and a VMCS built the way tboot's construct_vmcs() builds it (a 32-bit
// host and guest sharing the CPU's state, guest activity "active").
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "cpu_model/cpu.h"
#include "cpu_model/testkit/cpu_rig.h"
#include "sim/tests/machine/small_machine.h"
#include "txt_model/vmx/vmx_install.h"

namespace dlsim::txt::test {

// Memory the guests use.
inline constexpr uint64_t kBspCode = 0x100000, kApCode = 0x110000;
inline constexpr uint64_t kVmxonRegion = 0x140000, kVmcsRegion = 0x141000, kVmcs2Region = 0x142000;
inline constexpr uint64_t kLog = 0x150000;  // results the guests store
inline constexpr uint64_t kHostStack = 0x160000;
// Distinct host-state values the exit tests look for.
inline constexpr uint64_t kHostFsBase = 0x1000, kHostGsBase = 0x2000, kHostSysenterEsp = 0x3000,
                          kHostSysenterEip = 0x4000;

// Stack, paging over 0-16 MiB and the local APIC page, CR0.NE|PG, CR4.VMXE|PSE,
// the VMXON region's and both VMCS regions' revision identifier (4).
inline const char* kVmxPrologue = R"(
  mov esp, 0x170000
  mov dword [0x300000], 0x00000083
  mov dword [0x300004], 0x00400083
  mov dword [0x300008], 0x00800083
  mov dword [0x30000c], 0x00c00083
  mov dword [0x300000 + 0x3fb * 4], 0xfec00083
  mov eax, 0x300000
  mov cr3, eax
  mov eax, cr4
  or eax, 0x2010
  mov cr4, eax
  mov eax, cr0
  or eax, 0x80000020
  mov cr0, eax
  mov dword [0x140000], 4
  mov dword [0x141000], 4
  mov dword [0x142000], 4
)";

// NASM macros: VMW field, value (value may be any register but eax);
// FLAGS slot (EFLAGS to the log); ERR slot (the VM-instruction error).
inline const char* kVmxMacros = R"(
%macro VMW 2
  mov eax, %1
  mov ecx, %2
  vmwrite eax, ecx
%endmacro
%macro FLAGS 1
  pushfd
  pop dword [0x150000 + %1]
%endmacro
%macro ERR 1
  mov eax, 0x4400
  vmread ecx, eax
  mov [0x150000 + %1], ecx
%endmacro
)";

// VMXON, VMCLEAR and VMPTRLD of the first VMCS, each CF/ZF checked by the
// tests through the log (slots 0x80, 0x84, 0x88).
inline const char* kVmxOn = R"(
  vmxon [vmxon_ptr]
  FLAGS 0x80
  vmclear [vmcs_ptr]
  FLAGS 0x84
  vmptrld [vmcs_ptr]
  FLAGS 0x88
)";

// The pointers the instructions' m64 operands name.
inline const char* kVmxData = R"(
align 8
vmxon_ptr: dq 0x140000
vmcs_ptr: dq 0x141000
vmcs2_ptr: dq 0x142000
null_ptr: dq 0
)";

// tboot's VMCS (txt/vmcs.c construct_vmcs): controls from the non-TRUE
// capability MSRs' default-1 bits plus NMI exiting, INVLPG and MWAIT
// exiting, acknowledge interrupt on exit; host and guest the CPU's own
// state; guest RIP `guest_code`, host RIP `host_handler` (the test's labels).
inline const char* kTbootVmcs = R"(
  VMW 0x4000, 0x16 | 0x8
  VMW 0x400c, 0x00036dff | 0x8000
  VMW 0x4012, 0x000011ff
  VMW 0x4002, 0x0401e172 | 0x600
  VMW 0x0c04, 0x10
  VMW 0x0804, 0x10
  VMW 0x0c06, 0x10
  VMW 0x0806, 0x10
  VMW 0x0c00, 0x10
  VMW 0x0800, 0x10
  VMW 0x0c08, 0x10
  VMW 0x0808, 0x10
  VMW 0x0c0a, 0x10
  VMW 0x080a, 0x10
  VMW 0x0802, 0x08
  VMW 0x681e, guest_code
  VMW 0x0c02, 0x08
  VMW 0x6c16, host_handler
  VMW 0x4800, 0xffffffff
  VMW 0x4804, 0xffffffff
  VMW 0x4806, 0xffffffff
  VMW 0x4808, 0xffffffff
  VMW 0x480a, 0xffffffff
  VMW 0x4802, 0xffffffff
  VMW 0x4814, 0xc093
  VMW 0x4818, 0xc093
  VMW 0x481a, 0xc093
  VMW 0x481c, 0xc093
  VMW 0x481e, 0xc093
  VMW 0x4816, 0xc09b
  VMW 0x6806, 0
  VMW 0x680a, 0
  VMW 0x680c, 0
  VMW 0x680e, 0
  VMW 0x6810, 0
  VMW 0x6808, 0
  VMW 0x6c06, 0x1000
  VMW 0x6c08, 0x2000
  VMW 0x080c, 0
  VMW 0x6812, 0
  VMW 0x480c, 0xffff
  VMW 0x080e, 0x18
  VMW 0x6814, 0
  VMW 0x480e, 0xffff
  VMW 0x0c0c, 0x18
  VMW 0x6c0a, 0
  VMW 0x4820, 0x8082
  VMW 0x4822, 0x808b
  sgdt [0x150200]
  VMW 0x6816, [0x150202]
  movzx ecx, word [0x150200]
  VMW 0x4810, ecx
  VMW 0x6c0c, [0x150202]
  sidt [0x150200]
  VMW 0x6818, [0x150202]
  movzx ecx, word [0x150200]
  VMW 0x4812, ecx
  VMW 0x6c0e, [0x150202]
  mov ebx, cr0
  VMW 0x6c00, ebx
  VMW 0x6800, ebx
  VMW 0x6004, ebx
  mov ebx, cr4
  VMW 0x6c04, ebx
  VMW 0x6804, ebx
  VMW 0x6006, ebx
  mov ebx, cr3
  VMW 0x6c02, ebx
  VMW 0x6802, ebx
  VMW 0x681a, 0x400
  pushfd
  pop ebx
  VMW 0x6820, ebx
  VMW 0x681c, 0x168000
  VMW 0x6c14, 0x160000
  VMW 0x2008, 0
  VMW 0x2006, 0
  VMW 0x400e, 0
  VMW 0x4010, 0
  VMW 0x4014, 0
  VMW 0x4016, 0
  VMW 0x6000, 0xffffffff
  VMW 0x6002, 0xffffffff
  VMW 0x4006, 0
  VMW 0x4008, 0
  VMW 0x400a, 0
  VMW 0x4826, 0
  VMW 0x4824, 0
  VMW 0x2800, 0xffffffff
  VMW 0x2801, 0xffffffff
  VMW 0x4004, 0x4008
  VMW 0x4c00, 0x08
  VMW 0x6c10, 0x3000
  VMW 0x6c12, 0x4000
)";

struct VmxRig {
  explicit VmxRig(int cpus = 1, VmxCapabilities caps = VmxCapabilities::coffeeLake())
      : m(dlsim::test::smallMachine(cpus, 0x400000, 2000000)), vmx(&installVmx(m, config(std::move(caps)))) {}

  VmxConfig config(VmxCapabilities caps) {
    VmxConfig c;
    c.caps = std::move(caps);
    c.featureControl = [this](int) { return featureControl; };
    c.inSmx = [this] { return smx; };
    return c;
  }
  // Runs `bsp` (org 0x100000) on CPU 0 and, when given, `ap` (org 0x110000)
  // on CPU 1 from flat 32-bit protected mode. Both get the macros.
  dlsim::test::GuestRun run(const std::string& bsp, const std::string& ap = "") {
    const std::string head = std::string("bits 32\n") + kVmxMacros;
    const auto bspCode = dlsim::test::assemble(head + "org 0x100000\n" + bsp + kVmxData);
    dlsim::test::loadAndBoot(m, bspCode, kBspCode, EntryMode::Protected);
    if (!ap.empty()) {
      const auto apCode = dlsim::test::assemble(head + "org 0x110000\n" + ap + kVmxData);
      EXPECT_TRUE(m.memory().write(kApCode, apCode.data(), apCode.size()));
      m.cpu(1).wakeAt(dlsim::test::CpuRig::flat32(kApCode));
    }
    return dlsim::test::runToStop(m);
  }
  uint32_t log(uint64_t offset) {
    uint32_t v = 0;
    EXPECT_TRUE(m.memory().read(kLog + offset, &v, 4));
    return v;
  }
  // CF and ZF of EFLAGS stored at a log slot.
  std::pair<bool, bool> cfZf(uint64_t offset) {
    const uint32_t f = log(offset);
    return {(f & 1) != 0, (f & 0x40) != 0};
  }

  uint64_t featureControl = 0x5;  // locked, VMX outside SMX
  bool smx = false;
  Machine m;
  Vmx* vmx;
};

// The first exception of a CPU's chain ("#GP(0x0) at 0x...", "#UD at ...").
inline std::string firstFault(const dlsim::test::GuestRun& r, int cpu = 0) {
  const auto& chain = r.obs.cpus.at(static_cast<size_t>(cpu)).exceptionChain;
  return chain.empty() ? std::string() : chain[0];
}

}  // namespace dlsim::txt::test
