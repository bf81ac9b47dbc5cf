// GETSEC's dispatch, the checks every leaf shares, and its installation
// (SDM vol. 2D chapter 6). The leaves are in getsec_*_leaves.cpp and
// getsec_senter.cpp.
#include "txt_model/getsec/getsec.h"

#include <capstone/capstone.h>

#include "cpu_model/cpu.h"
#include "cpu_model/cpuid_profile.h"
#include "cpu_model/ipi.h"
#include "cpu_model/launch_rule_stop.h"
#include "cpu_model/msr_registry.h"
#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "sim/snapshot/snapshot_registry.h"
#include "txt_model/getsec/getsec_rules.h"

namespace dlsim::txt {

namespace {
constexpr uint32_t kApicBaseMsr = 0x1B;
constexpr uint64_t kApicBaseBsp = 1ull << 8;
constexpr uint32_t kFeatureControlMsr = 0x3A;
constexpr uint64_t kCr4Smxe = 1ull << 14;
constexpr uint64_t kCr0Pe = 1ull << 0;
constexpr uint64_t kEflagsVm = 1ull << 17;
// The smallest AC module dlsim takes: the header and scratch area of a
// 2048-bit-key module (0x4C0 bytes, where its user area begins). The SDM
// names a "minimum module size" without giving it.
constexpr uint32_t kMinAcmSize = 0x4C0;

// The bits of IA32_FEATURE_CONTROL a WRMSR may set (SDM vol. 4, MSR 3AH):
// lock, VMX in/outside SMX, SENTER local enables and global enable, SGX
// launch control (17), SGX global (18), LMCE (20). Others are reserved (#GP).
constexpr uint64_t kFeatureControlWritable = 0x7 | (0xFFull << 8) | (1ull << 17) | (1ull << 18) | (1ull << 20);

// GETSEC's prefixes that raise #UD (SDM vol. 2D "Use of Prefixes": LOCK,
// REP/REPNE, operand size); segment overrides, address size and REX are
// ignored.
bool forbiddenPrefix(const DecodedInsn& insn) {
  for (int i = 0; i + 2 < insn.length; ++i) {
    const uint8_t b = insn.bytes[i];
    if (b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x66) return true;
  }
  return false;
}
}  // namespace

Getsec::Getsec(ModelHost& host, const GetsecConfig& config, LaunchChipset& chipset, SinitLauncher* sinit)
    : host_(host), config_(config), chipset_(chipset), sinit_(sinit) {}

uint64_t Getsec::featureControl(int cpu) const {
  return static_cast<size_t>(cpu) < featureControl_.size() ? featureControl_[static_cast<size_t>(cpu)]
                                                           : config_.featureControl;
}

std::optional<uint64_t> Getsec::readFeatureControl(int cpu) const { return featureControl(cpu); }

bool Getsec::writeFeatureControl(int cpu, uint64_t value) {
  // Locked: only a power-up reset clears it; WRMSR raises #GP(0) (SDM vol. 4).
  if (featureControl(cpu) & feature_control::kLock) return false;
  if (value & ~kFeatureControlWritable) return false;
  if (featureControl_.size() <= static_cast<size_t>(cpu)) featureControl_.resize(cpu + 1, config_.featureControl);
  featureControl_[static_cast<size_t>(cpu)] = value;
  return true;
}

bool Getsec::setPowerOnFeatureControl(int cpu, uint64_t value) {
  if (value & ~kFeatureControlWritable) return false;
  const size_t n = static_cast<size_t>(cpu) + 1;
  if (powerOnFeatureControl_.size() < n) powerOnFeatureControl_.resize(n, config_.featureControl);
  if (featureControl_.size() < n) featureControl_.resize(n, config_.featureControl);
  powerOnFeatureControl_[n - 1] = featureControl_[n - 1] = value;
  return true;
}

std::optional<InsnOutcome> Getsec::require(Cpu& cpu, bool holds, const LaunchRule& rule, InsnOutcome hardware,
                                           const std::string& detail) {
  if (holds) return std::nullopt;
  if (breakRule(cpu, host_.launchRules(), rule, detail)) return InsnOutcome::Stop;
  return hardware;
}

std::optional<InsnOutcome> Getsec::requireProtectedCpl0(Cpu& cpu, const LaunchRule& protectedMode,
                                                        const LaunchRule& cpl0) {
  const uint64_t cr0 = cpu.reg(Reg::Cr0), rflags = cpu.reg(Reg::Rflags);
  if (auto o = require(cpu, (cr0 & kCr0Pe) && !(rflags & kEflagsVm), protectedMode, InsnOutcome::RaiseGP,
                       "CR0 = " + hex(cr0) + ", EFLAGS = " + hex(rflags)))
    return o;
  const uint64_t cpl = cpu.reg(Reg::Cs) & 3;
  return require(cpu, cpl == 0, cpl0, InsnOutcome::RaiseGP, "CPL = " + std::to_string(cpl));
}

std::optional<InsnOutcome> Getsec::requireModuleRange(Cpu& cpu, const ModuleRangeRules& rules) {
  const uint32_t base = static_cast<uint32_t>(cpu.reg(Reg::Rbx));
  const uint32_t size = static_cast<uint32_t>(cpu.reg(Reg::Rcx));
  if (auto o = require(cpu, base % 4096 == 0, rules.aligned, InsnOutcome::RaiseGP, "EBX = " + hex(base))) return o;
  const uint32_t maxSize = config_.profile.maxAcmSize & ~0x1Fu;
  if (auto o = require(cpu, size % 64 == 0 && size >= kMinAcmSize && size <= maxSize, rules.size, InsnOutcome::RaiseGP,
                       "ECX = " + hex(size) + ", AC execution area " + hex(maxSize)))
    return o;
  return require(cpu, uint64_t{base} + size <= 0xFFFFFFFFull, rules.below4G, InsnOutcome::RaiseGP,
                 "EBX + ECX = " + hex(uint64_t{base} + size));
}

bool Getsec::isBsp(Cpu& cpu) {
  // IA32_APIC_BASE.BSP as the LAPIC model keeps it; a platform without a
  // LAPIC model (a CPU rig) has CPU 0 as its BSP.
  if (!host_.msrs().find(kApicBaseMsr)) return cpu.index() == 0;
  auto v = cpu.readMsr(kApicBaseMsr);
  return v && (*v & kApicBaseBsp);
}

// The machine-check seam: IA32_MCG_CAP (0x179), IA32_MCG_STATUS (0x17A) and
// IA32_MCi_STATUS (0x401 + 4i) are read when the platform implements them
// (registered in the MSR registry); without them there is no machine check.
bool Getsec::machineCheckPending(Cpu& cpu, std::string& detail) {
  auto read = [&](uint32_t msr) -> std::optional<uint64_t> {
    if (!host_.msrs().find(msr)) return std::nullopt;
    return cpu.readMsr(msr);
  };
  if (auto st = read(0x17A); st && (*st & 4)) {
    detail = "IA32_MCG_STATUS.MCIP = 1";
    return true;
  }
  // Parameter type 5 bit 6: the processor preserves machine checks across
  // SENTER, so logged uncorrectable errors do not stop it.
  if (config_.profile.txtExtensions & (1u << 6)) return false;
  const auto cap = read(0x179);
  const unsigned banks = cap ? static_cast<unsigned>(*cap & 0xFF) : 0;
  for (unsigned i = 0; i < banks; ++i) {
    auto s = read(0x401 + 4 * i);
    // VAL (63) and UC (61).
    if (s && (*s >> 63 & 1) && (*s >> 61 & 1)) {
      detail = "IA32_MC" + std::to_string(i) + "_STATUS = " + hex(*s);
      return true;
    }
  }
  return false;
}

void Getsec::resetState(ResetKind kind) {
  if (kind == ResetKind::Cold) featureControl_ = powerOnFeatureControl_;
  smx_ = SmxState{};
}

uint32_t Getsec::capabilityBits() const {
  return (config_.profile.getsecCapabilities & ~1u) | (chipset_.txtCapable() ? 1u : 0u);
}

InsnOutcome Getsec::execute(Cpu& cpu, const DecodedInsn& insn) {
  const uint64_t cr4 = cpu.reg(Reg::Cr4);
  if (auto o = require(cpu, cr4 & kCr4Smxe, getsec_rules::kSmxe, InsnOutcome::RaiseUD, "CR4 = " + hex(cr4))) return *o;
  if (auto o = require(cpu, !forbiddenPrefix(insn), getsec_rules::kNoPrefix, InsnOutcome::RaiseUD)) return *o;
  const uint32_t leaf = static_cast<uint32_t>(cpu.reg(Reg::Rax));
  // CAPABILITIES is always there; another leaf is when its bit is reported.
  const bool supported = leaf == kCapabilities || (leaf >= kEnteraccs && leaf <= kWakeup && (capabilityBits() >> leaf & 1));
  if (auto o = require(cpu, supported, getsec_rules::kLeafSupported, InsnOutcome::RaiseUD, "EAX = " + hex(leaf)))
    return *o;
  switch (leaf) {
    case kCapabilities: return capabilities(cpu);
    case kParameters: return parameters(cpu);
    case kSenter: return senter(cpu);
    case kSexit: return sexit(cpu);
    case kSmctrl: return smctrl(cpu);
    case kWakeup: return wakeup(cpu);
    case kExitac: return exitac(cpu);
    default: return enteraccs(cpu, insn);
  }
}

Getsec& installGetsec(ModelHost& host, const GetsecConfig& config, LaunchChipset& chipset, SinitLauncher* sinit) {
  auto g = std::make_shared<Getsec>(host, config, chipset, sinit);
  host.keepAlive(g);
  Getsec* gp = g.get();
  host.specialInstructions().add(X86_INS_GETSEC, "txt",
                                 [gp](Cpu& cpu, const DecodedInsn& insn) { return gp->execute(cpu, insn); });
  host.msrs().add(MsrRange{
      kFeatureControlMsr, kFeatureControlMsr, "txt", [gp](int cpu, uint32_t) { return gp->readFeatureControl(cpu); },
      [gp](int cpu, uint32_t, uint64_t v) { return gp->writeFeatureControl(cpu, v); },
      [gp](int cpu, uint32_t, uint64_t v) { return gp->setPowerOnFeatureControl(cpu, v); },
      // The scenario gives the BIOS's value in the txt section alone.
      "/txt/feature_control"});
  host.cpuidProfile().setFeature("smx", true);
  if (config.advertiseVmx) host.cpuidProfile().setFeature("vmx", true);
  // INIT and NMI stay pending outside the CPU while SENTER masks them.
  host.addIpiFilter([gp](int target, IpiKind kind, uint8_t) {
    SmxCpuState& c = gp->smx().at(target);
    if (kind == IpiKind::Init && c.initMasked) return false;
    if (kind == IpiKind::Nmi && c.nmiMasked) return false;
    return true;
  });
  host.onReset([gp](ResetKind kind) { gp->resetState(kind); });
  host.snapshotParts().add(
      "txt getsec", [gp] { return gp->saveState(); }, [gp](std::span<const uint8_t> b) { gp->restoreState(b); });
  return *gp;
}

}  // namespace dlsim::txt
