// The subset of VMX (SDM vol. 3C chapters 23-27, vol. 2 chapter 30 "VMX
// instruction reference") a launch environment needs to park its APs in a
// mini-guest, as tboot does (txt/vmcs.c): VMXON, VMXOFF, VMCLEAR, VMPTRLD,
// VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME and VMCALL; a guest that
// runs 32-bit protected-mode code natively or waits for SIPI; VM exits on
// INIT, SIPI, NMI (with NMI exiting) and VMCALL, loading the host state;
// the VMX capability MSRs. Unicorn has no VMX: these instructions reach
// dlsim through the invalid-opcode path as special instructions.
//
// What a guest or VMM asks for beyond that subset (a 64-bit host or guest,
// event injection, MSR-load areas, EPT, the controls dlsim does not model...)
// ends the run with reason "guest-error" and a detail starting
// "vmx: unsupported", never a silent wrong answer. docs/vmx.md lists both.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpu_model/special_instructions.h"
#include "txt_model/vmx/vmx_capabilities.h"
#include "txt_model/vmx/vmx_state.h"

namespace dlsim {
class Cpu;
class GuestMemory;
struct ArchState;
enum class IpiKind;
}  // namespace dlsim

namespace dlsim::txt {

struct VmxConfig {
  VmxCapabilities caps = VmxCapabilities::coffeeLake();
  // IA32_FEATURE_CONTROL as CPU `cpu` reads it (the GETSEC part owns the MSR).
  std::function<uint64_t(int cpu)> featureControl;
  // True in SMX operation (GETSEC[SENTER] done, no GETSEC[SEXIT] since).
  std::function<bool()> inSmx;
};

// VM-instruction error numbers (SDM vol. 3C 31.4).
enum VmxError : uint32_t {
  kErrVmcallInRoot = 1,
  kErrVmclearInvalidAddress = 2,
  kErrVmclearVmxonPointer = 3,
  kErrVmlaunchNotClear = 4,
  kErrVmresumeNotLaunched = 5,
  kErrEntryInvalidControls = 7,
  kErrEntryInvalidHostState = 8,
  kErrVmptrldInvalidAddress = 9,
  kErrVmptrldVmxonPointer = 10,
  kErrVmptrldBadRevision = 11,
  kErrUnsupportedComponent = 12,
  kErrVmwriteReadOnly = 13,
  kErrVmxonInRoot = 15,
  kErrEntryMovSsBlocking = 26,
};

// Basic exit reasons (SDM vol. 3D appendix C).
enum VmxExitReason : uint32_t {
  kExitNmi = 0,
  kExitInit = 3,
  kExitSipi = 4,
  kExitVmcall = 18,
  kExitInvalidGuestState = 33,
  kExitFailedEntry = 0x80000000u,  // bit 31: VM-entry failure
};

class Vmx {
 public:
  Vmx(GuestMemory& memory, VmxConfig config);

  // The VMX instructions (Capstone ids X86_INS_VMXON ... X86_INS_VMCALL).
  InsnOutcome execute(Cpu& cpu, const DecodedInsn& insn);
  // The instruction guard (SpecialInstructionRegistry::addGuard): in VMX
  // non-root operation, an emulated instruction that would cause a VM exit
  // dlsim does not model stops the run named; RDTSCP raises #UD (the
  // secondary control "enable RDTSCP" is never on). nullopt otherwise.
  std::optional<InsnOutcome> guard(Cpu& cpu, const DecodedInsn& insn);
  // An IPI on its way to `target`: false when VMX took it (a VM exit, or an
  // INIT held while blocked). Calls `stop(detail)` for one it cannot model.
  bool onIpi(Cpu& target, IpiKind kind, uint8_t vector, const std::function<void(const std::string&)>& stop);

  const VmxConfig& config() const { return config_; }
  VmxCpuState& at(int cpu);
  const std::map<uint64_t, Vmcs>& vmcsRegions() const { return vmcs_; }
  const Vmcs* region(uint64_t address) const;
  // Every CPU that has been in VMX operation, in CPU order; `cpuAt` gives
  // the CPU (its run state is its guest's activity), null when unknown.
  std::vector<VmxCpuReport> report(const std::function<Cpu*(int)>& cpuAt) const;
  // The guest activity a CPU in VMX non-root operation is in, from its run
  // state: waiting for SIPI (the model sleep), halted, else active.
  static uint32_t guestActivity(Cpu& cpu);

  // A platform reset takes every CPU out of VMX operation.
  void reset();
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> bytes);

 private:
  // Outcomes of the SDM's pseudo-functions (they set RFLAGS).
  InsnOutcome succeed(Cpu& cpu);
  InsnOutcome failInvalid(Cpu& cpu);
  InsnOutcome failValid(Cpu& cpu, uint32_t error);
  InsnOutcome fail(Cpu& cpu, uint32_t error);  // VMfailValid with a current VMCS, else VMfailInvalid
  InsnOutcome unsupported(Cpu& cpu, const std::string& what);
  // The checks every VMX instruction but VMXON starts with: #UD outside VMX
  // operation (or in virtual-8086 / compatibility mode), the VM exit (here a
  // named stop: dlsim does not model VMX instructions in a guest), #GP(0)
  // at CPL > 0.
  std::optional<InsnOutcome> commonChecks(Cpu& cpu, const char* name);
  bool addressOk(Cpu& cpu, uint64_t address) const;  // 4 KiB aligned, within the physical-address width
  // The linear address of the instruction's memory operand (nullopt: none).
  std::optional<uint64_t> memoryOperand(Cpu& cpu, const DecodedInsn& insn);
  // Reads or writes `size` bytes at a linear address through paging; false
  // after raising #PF (CR2 set) or stopping on an address that is not RAM,
  // with the handler's outcome in `fault`.
  bool accessLinear(Cpu& cpu, uint64_t linear, void* bytes, size_t size, bool write, InsnOutcome& fault);
  // The m64 operand: read (VMXON, VMCLEAR, VMPTRLD) or written (VMPTRST);
  // nullopt after raising the fault (#GP for a register operand, #PF).
  std::optional<uint64_t> readOperand64(Cpu& cpu, const DecodedInsn& insn, InsnOutcome& fault);
  bool writeOperand64(Cpu& cpu, const DecodedInsn& insn, uint64_t value, InsnOutcome& fault);

  InsnOutcome vmxon(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmxoff(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmclear(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmptrld(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmptrst(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmread(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmwrite(Cpu& cpu, const DecodedInsn& insn);
  InsnOutcome vmcall(Cpu& cpu, const DecodedInsn& insn);

  // VM entry (vm_entry.cpp): VMLAUNCH / VMRESUME.
  InsnOutcome vmentry(Cpu& cpu, bool launch);
  // The VM-execution, VM-exit and VM-entry control checks (SDM 26.2.1) and
  // the host-state checks (26.2.2-26.2.4): "" when they pass; `unsupported`
  // names what dlsim does not model.
  std::string checkControls(const Vmcs& v, std::string& unsupported) const;
  std::string checkHostState(const Vmcs& v, std::string& unsupported) const;
  // The guest-state checks (26.3.1): "" when they pass.
  std::string checkGuestState(const Vmcs& v, std::string& unsupported) const;

  // VM exits (vm_exit.cpp). `cpu` is the CPU in VMX non-root operation (or
  // the one whose VM entry failed); it ends in VMX root operation running
  // the host state.
  // `entryFailure`: a VM entry failed checking guest state (no guest state saved).
  void vmexit(Cpu& cpu, uint32_t reason, uint64_t qualification, uint32_t interruptionInfo = 0,
              std::optional<uint32_t> instructionLength = std::nullopt, bool entryFailure = false);
  void saveGuestState(Cpu& cpu, Vmcs& v, uint32_t activity);
  ArchState hostState(Cpu& cpu, const Vmcs& v);
  void loadHostMsrs(Cpu& cpu, const Vmcs& v);

  GuestMemory& memory_;
  VmxConfig config_;
  std::map<uint64_t, Vmcs> vmcs_;
  std::map<int, VmxCpuState> cpus_;
};

// The guest activity a CPU's run state stands for while its guest runs:
// "active", "hlt", "wait-for-sipi".
std::string vmxGuestActivityName(uint32_t activity);

}  // namespace dlsim::txt
