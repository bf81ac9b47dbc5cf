// The SVM side of AMD CPUs on a machine (APM vol. 2 chapter 15): the CPUID
// bits of the profile (Fn8000_0001 ECX SVM and SKINIT, Fn8000_000A), EFER.SVME
// with VM_CR.SVMDIS, the VM_CR (0xC001_0114) and VM_HSAVE_PA (0xC001_0117)
// MSRs, CLGI/STGI and the global interrupt flag: while a CPU's GIF is 0 its
// fixed interrupts wait in the local APIC (Cpu::setGif) and INIT and NMI to
// it are held here, delivered when STGI sets it; with VM_CR.R_INIT set an
// INIT becomes #SX (vector 30, error code 1; APM 15.28). SMI IPIs: the local
// APIC model drops them, so there is none to hold.
//
// VMRUN, VMLOAD, VMSAVE and INVLPGA are not modelled: with SVME set they stop
// the run (guest-error) naming the instruction, rather than run natively in
// the engine.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cpu_model/special_instructions.h"
#include "sim/launch_rules.h"
#include "sim/reset_kind.h"
#include "svm_model/cpu/svm_cpu_state.h"
#include "svm_model/profiles/svm_profile.h"

namespace dlsim {
class Cpu;
class ModelHost;
class CpuidProfile;
enum class IpiKind;
}  // namespace dlsim

namespace dlsim::svm {

// CPUID EAX of Fn8000_000A and the highest extended leaf that carries it.
inline constexpr uint32_t kCpuidSvmLeaf = 0x8000000A;

struct SvmCpuConfig {
  // VM_CR after power-up and every platform reset (the firmware's value,
  // e.g. LOCK | SVMDIS where the BIOS disabled SVM).
  uint64_t powerOnVmCr = 0;
};

// Puts the profile's identity and SVM leaves into the CPUID profile: the
// family/model/stepping, Fn8000_0001 ECX SVM (and SKINIT when the profile has
// it), Fn8000_000A (revision, ASIDs, features). InputError when the machine's
// CPU vendor is not AMD (`where` names the scenario field).
void applySvmCpuid(CpuidProfile& cpuid, const SvmProfile& profile, const std::string& where);

class SvmCpu {
 public:
  SvmCpu(ModelHost& host, const SvmCpuConfig& config);

  SvmCpus& cpus() { return cpus_; }
  const SvmCpus& cpus() const { return cpus_; }
  const SvmCpuConfig& config() const { return config_; }

  // Sets or clears the GIF of `cpu` (both copies). Setting it delivers the
  // INIT or NMI held while it was clear: the INIT when both were (its
  // priority is higher; dlsim drops that NMI, whether the INIT resets the CPU
  // or becomes #SX). SKINIT clears it through here.
  void setGif(Cpu& cpu, bool set);

  // The MSRs (nullopt / false: #GP).
  std::optional<uint64_t> readEfer(int cpu);
  bool writeEfer(int cpu, uint64_t value);
  std::optional<uint64_t> readVmCr(int cpu) const;
  bool writeVmCr(int cpu, uint64_t value);
  // The platform's write (a test, a reset): any valid bits, no lock rules.
  bool setVmCrByPlatform(int cpu, uint64_t value);
  std::optional<uint64_t> readHsavePa(int cpu) const;
  bool writeHsavePa(int cpu, uint64_t value);

  InsnOutcome clgi(Cpu& cpu);
  InsnOutcome stgi(Cpu& cpu);
  // VMRUN, VMLOAD, VMSAVE, INVLPGA: their faults, else a stop naming them.
  InsnOutcome unmodelled(Cpu& cpu, const DecodedInsn& insn);

  // The IPI filter: false when it took the IPI (held, or INIT -> #SX).
  bool filterIpi(int target, IpiKind kind);
  void resetState(ResetKind kind);
  // Machine snapshots; restore throws InputError on malformed bytes.
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> bytes);

 private:
  // #UD outside protected mode or in virtual-8086 mode, #UD unless
  // `usable`, #GP(0) at CPL > 0 (APM vol. 3, CLGI/STGI/VMRUN...).
  std::optional<InsnOutcome> checkPrivileged(Cpu& cpu, bool usable);
  bool svme(int cpu);

  ModelHost& host_;
  SvmCpuConfig config_;
  SvmCpus cpus_;
};

// Creates the SVM side for host.cpuCount() CPUs and installs it: CPUID (see
// applySvmCpuid), the MSRs (EFER, VM_CR with scenario field `vmCrField`,
// VM_HSAVE_PA), CLGI/STGI and the unmodelled SVM instructions, the GIF and
// R_INIT IPI filter, the reset hook and the snapshot part ("svm cpus").
SvmCpu& installSvmCpu(ModelHost& host, const SvmProfile& profile, const SvmCpuConfig& config,
                      const std::string& profileField = "/svm/profile", const std::string& vmCrField = "/svm/vm_cr");

}  // namespace dlsim::svm
