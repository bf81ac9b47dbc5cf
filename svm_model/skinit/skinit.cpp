// SKINIT's checks and operation (APM vol. 2 15.27.6, 15.27.8), its IPI
// filter and its installation.
#include "svm_model/skinit/skinit.h"

#include <capstone/capstone.h>

#include <memory>

#include "cpu_model/cpu.h"
#include "cpu_model/cpuid_profile.h"
#include "cpu_model/ipi.h"
#include "cpu_model/launch_rule_stop.h"
#include "sim/hex.h"
#include "sim/model_api/model_host.h"
#include "sim/platform_tpm_client.h"
#include "sim/snapshot/snapshot_registry.h"
#include "svm_model/skinit/skinit_entry_state.h"
#include "svm_model/skinit/skinit_rules.h"
#include "svm_model/skinit/slb_image.h"

namespace dlsim::svm {

namespace r = skinit_rules;

namespace {
constexpr uint64_t kCr0Pe = 1ull << 0;
constexpr uint64_t kEflagsVm = 1ull << 17;
constexpr uint64_t kVmCrSkinitBits = kVmCrDpd | kVmCrRInit | kVmCrDisA20m;

std::string cpuList(const std::vector<int>& cpus) {
  std::string s;
  for (int c : cpus) s += (s.empty() ? "" : ", ") + std::to_string(c);
  return s;
}
}  // namespace

Skinit::Skinit(ModelHost& host, SvmCpus& cpus, SlbProtection& protection)
    : host_(host), cpus_(cpus), protection_(protection) {}

bool Skinit::stops(Cpu& cpu, bool holds, const LaunchRule& rule, const std::string& detail) {
  return !holds && breakRule(cpu, host_.launchRules(), rule, detail);
}

bool Skinit::svmEnabled(Cpu& cpu) {
  // APM vol. 2 15.4 "Enabling SVM": SKINIT and STGI are usable when EFER.SVME
  // = 1 or CPUID Fn8000_0001 ECX[SKINIT] = 1, else #UD. The CPUID is the one
  // the guest sees, so a scenario that removes "skinit" gets the #UD.
  if (host_.cpuidProfile().has("skinit")) return true;
  const auto efer = cpu.readMsr(kMsrEfer);
  return efer && (*efer & kEferSvme);
}

InsnOutcome Skinit::execute(Cpu& cpu, const DecodedInsn&) {
  // The faults, in the order the instruction checks them.
  if (!svmEnabled(cpu)) {
    if (breakRule(cpu, host_.launchRules(), r::kSvmEnabled, "EFER = " + hex(cpu.readMsr(kMsrEfer).value_or(0))))
      return InsnOutcome::Stop;
    return InsnOutcome::RaiseUD;
  }
  const uint64_t cr0 = cpu.reg(Reg::Cr0), rflags = cpu.reg(Reg::Rflags);
  if (!(cr0 & kCr0Pe) || (rflags & kEflagsVm)) {
    if (breakRule(cpu, host_.launchRules(), r::kProtectedMode, "CR0 = " + hex(cr0) + ", EFLAGS = " + hex(rflags)))
      return InsnOutcome::Stop;
    return InsnOutcome::RaiseUD;
  }
  const uint64_t cpl = cpu.reg(Reg::Cs) & 3;
  if (cpl != 0) {
    if (breakRule(cpu, host_.launchRules(), r::kCpl0, "CPL = " + std::to_string(cpl))) return InsnOutcome::Stop;
    return InsnOutcome::RaiseGP;
  }

  // The launch conditions the hardware does not check: each is recorded,
  // and in mode "hardware" the launch goes on as the CPU would.
  SkinitLaunch l;
  l.cpu = cpu.index();
  l.eax = static_cast<uint32_t>(cpu.reg(Reg::Rax));
  l.slbBase = l.eax & 0xFFFF0000u;
  if (stops(cpu, l.slbBase == l.eax, r::kSlbAligned, "EAX = " + hex(l.eax))) return InsnOutcome::Stop;
  const SlbImage img = readSlbImage(host_.memory(), l.slbBase);
  l.entryOffset = img.header.entry;
  l.length = img.header.length;
  l.measuredLength = static_cast<uint32_t>(img.measured.size());
  if (stops(cpu, img.notRamBytes == 0, r::kSlbInRam,
            std::to_string(img.notRamBytes) + " of the " + std::to_string(l.measuredLength) +
                " measured bytes at SLB " + hex(l.slbBase) + " are not RAM (hashed as 0xFF)"))
    return InsnOutcome::Stop;
  if (stops(cpu, l.length >= 4 && l.entryOffset < l.length, r::kSlbHeader,
            "SLB " + hex(l.slbBase) + ": entry offset " + hex(l.entryOffset) + ", length " + hex(l.length)))
    return InsnOutcome::Stop;
  for (int i = 0; i < host_.cpuCount(); ++i)
    if (i != cpu.index() && host_.cpu(i).state() != CpuState::WaitForSipi) l.apsNotParked.push_back(i);
  if (stops(cpu, l.apsNotParked.empty(), r::kApsParked, "not waiting for SIPI: CPU " + cpuList(l.apsNotParked)))
    return InsnOutcome::Stop;

  // 15.27.6 step 1 (the entry state is loaded last, below); step 2.
  protection_.protectSlb(l.slbBase);
  // Step 3: the APs stay in the INIT state; an AP not there keeps running
  // (what the hardware does then is not in the APM).
  // Steps 4-5: the SL image to the TPM at locality 4, one way.
  PlatformTpmClient tpm(host_.bus());
  l.tpmPresent = tpm.detect(4) != TpmInterfaceKind::kNone;
  if (l.tpmPresent) {
    tpm.hashStart();
    tpm.hashData(img.measured);
    tpm.hashEnd();
  }
  // Step 6: GIF = 0; VM_CR DPD, R_INIT and DIS_A20M set; EFER cleared (entry state).
  const int self = cpu.index();
  if (self < cpus_.count()) {
    SvmCpuState& s = cpus_.at(self);
    s.gif = false;
    s.vmCr |= kVmCrSkinitBits;
    s.inSkinitLaunch = true;
  }
  cpus_.skinitExecuted = true;
  cpu.setGif(false);
  // Steps 7-8: ESP and EIP with the rest of the INIT-like state.
  const uint32_t signature = host_.cpuidProfile().query(1, 0, cpu.apicId(), host_.cpuCount()).eax;
  cpu.setArchState(skinitEntryState(cpu.archState(), l.slbBase, l.entryOffset, signature));
  launch_ = std::move(l);
  return InsnOutcome::Jumped;
}

void Skinit::startAp(int ap) {
  SvmCpuState& s = cpus_.at(ap);
  s.gif = false;
  s.vmCr |= kVmCrSkinitBits;
  s.inSkinitLaunch = true;
  host_.cpu(ap).setGif(false);
}

bool Skinit::onIpi(int target, IpiKind kind, uint8_t) {
  if (!cpus_.skinitExecuted || target >= cpus_.count()) return true;
  if (kind == IpiKind::Sipi) {
    // 15.27.8: the first start-up IPI an AP takes after the BSP's SKINIT.
    if (!cpus_.at(target).inSkinitLaunch && host_.cpu(target).state() == CpuState::WaitForSipi) startAp(target);
    return true;
  }
  if (kind != IpiKind::Init) return true;
  std::vector<int> waiting;
  for (int i = 0; i < cpus_.count(); ++i)
    if (!cpus_.at(i).inSkinitLaunch) waiting.push_back(i);
  if (waiting.empty()) return true;
  const std::string detail = "INIT IPI to CPU " + std::to_string(target) + " while CPU " + cpuList(waiting) +
                             " had no start-up IPI since SKINIT";
  // The sender is not known here (the filter sees the target): cpu -1.
  if (host_.launchRules().broken(r::kNoInitBeforeSipi, -1, 0, detail) == RuleMode::Stop) {
    host_.endRun("launch-rule", LaunchRules::stopDetail(r::kNoInitBeforeSipi, detail));
    return false;
  }
  return true;  // hardware: delivered as any INIT (what it does to the launch is not in the APM)
}

void Skinit::resetState() {
  launch_.reset();
  // SKINIT's facts in the shared state last until the next reset; GIF and
  // VM_CR are the SVM CPU model's to reset.
  cpus_.skinitExecuted = false;
  for (int i = 0; i < cpus_.count(); ++i) cpus_.at(i).inSkinitLaunch = false;
}

Skinit& installSkinit(ModelHost& host, SvmCpus& cpus, SlbProtection& protection) {
  auto s = std::make_shared<Skinit>(host, cpus, protection);
  host.keepAlive(s);
  Skinit* sp = s.get();
  host.specialInstructions().add(X86_INS_SKINIT, "svm",
                                 [sp](Cpu& cpu, const DecodedInsn& insn) { return sp->execute(cpu, insn); });
  host.addIpiFilter([sp](int target, IpiKind kind, uint8_t vector) { return sp->onIpi(target, kind, vector); });
  host.onReset([sp](ResetKind) { sp->resetState(); });
  host.snapshotParts().add(
      "svm skinit", [sp] { return sp->saveState(); }, [sp](std::span<const uint8_t> b) { sp->restoreState(b); });
  return *sp;
}

}  // namespace dlsim::svm
