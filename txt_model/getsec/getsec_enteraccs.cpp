// GETSEC[ENTERACCS] (SDM vol. 2D GETSEC[ENTERACCS], Operation): the ILP's
// checks, then the AC module loaded from EBX/ECX, its header and
// authentication against TXT.PUBLIC.KEY, and the jump to its entry point in
// authenticated code execution mode. Nothing is measured in the TPM (the
// pseudo-code has no HASH_START/END for ENTERACCS: that is SENTER's).
//
// dlsim runs the module's own code as guest code: BIOS ACM stand-ins
// (`dlsim mkacm PROFILE --type bios --code FILE`, docs/txt-model.md) whose
// user area is code from this repository. A real Intel ACM is never run
// (its code is Intel's): its signature does not verify under dlsim's
// PUBLIC.KEY, and a SINIT is refused by rule getsec.enteraccs.bios-acm.
#include <optional>
#include <string>
#include <vector>

#include "cpu_model/cpu.h"
#include "cpu_model/launch_rule_stop.h"
#include "sim/errors.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/le_reader.h"
#include "sim/model_api/model_host.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_prelaunch_checks.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/getsec/getsec.h"
#include "txt_model/getsec/getsec_rules.h"

namespace dlsim::txt {

namespace r = getsec_rules;

namespace {
constexpr uint64_t kCr0Ne = 1ull << 5, kCr0Nw = 1ull << 29, kCr0Cd = 1ull << 30;
constexpr uint64_t kCr0Pg = 1ull << 31, kCr0Am = 1ull << 18, kCr0Wp = 1ull << 16;
constexpr uint64_t kCr4Mce = 1ull << 6;
// TXT.ERRORCODE of a processor TXT shutdown: valid (31), processor (30 = 0), type.
constexpr uint32_t kShutdownUnsupportedAcm = 0x80000000u | 6;
constexpr uint32_t kShutdownAuthenticateFail = 0x80000000u | 7;
constexpr uint32_t kShutdownBadAcmFormat = 0x80000000u | 8;
// Header versions a processor takes: 0.0 (2048-bit key) and 3.0 (3072-bit).
bool supportedHeaderVersion(uint32_t v) { return v == kAcmHeaderVersion0 || v == kAcmHeaderVersion3; }

// The module's format checks (SDM: TXT-SHUTDOWN(#BadACMFormat)); nullopt when it is good.
std::optional<std::string> formatProblem(const AcmHeader& h, uint32_t size) {
  const uint64_t user = h.userAreaOffset();
  if (h.codeControl & ~0x3u) return "CodeControl " + hex(h.codeControl) + " sets reserved bits";
  if (h.gdtBasePtr < user || uint64_t{h.gdtBasePtr} + h.gdtLimit >= size)
    return "GDT at " + hex(h.gdtBasePtr) + " (limit " + hex(h.gdtLimit) + ") is not inside the user area " + hex(user) +
           ".." + hex(size);
  if (h.entryPoint >= size || h.entryPoint < user)
    return "entry point " + hex(h.entryPoint) + " is not inside the user area " + hex(user) + ".." + hex(size);
  if (h.gdtLimit & 0xFFFF0000u) return "GDT limit " + hex(h.gdtLimit) + " above 0xFFFF";
  if (h.segSel < 8 || uint64_t{h.segSel} + 15 > h.gdtLimit)
    return "SegSel " + hex(h.segSel) + " outside 8..GDT limit - 15 (limit " + hex(h.gdtLimit) + ")";
  if (h.segSel & 7) return "SegSel " + hex(h.segSel) + " has TI or RPL set";
  return std::nullopt;
}

}  // namespace

InsnOutcome Getsec::enteraccs(Cpu& cpu, const DecodedInsn& insn) {
  if (auto o = requireProtectedCpl0(cpu, r::kEnteraccsProtectedMode, r::kEnteraccsCpl0)) return *o;
  const uint64_t cr0 = cpu.reg(Reg::Cr0);
  if (auto o = require(cpu, !(cr0 & (kCr0Cd | kCr0Nw)), r::kEnteraccsCache, InsnOutcome::RaiseGP, "CR0 = " + hex(cr0)))
    return *o;
  if (auto o = require(cpu, cr0 & kCr0Ne, r::kEnteraccsNe, InsnOutcome::RaiseGP, "CR0 = " + hex(cr0))) return *o;
  if (auto o = require(cpu, isBsp(cpu), r::kEnteraccsBsp, InsnOutcome::RaiseGP,
                       "CPU " + std::to_string(cpu.index()) + " has IA32_APIC_BASE.BSP = 0"))
    return *o;
  if (auto o = require(cpu, chipset_.txtCapable(), r::kEnteraccsChipset, InsnOutcome::RaiseGP)) return *o;
  if (auto o = require(cpu, !smx_.at(cpu.index()).acMode, r::kEnteraccsNotAcMode, InsnOutcome::RaiseGP)) return *o;
  std::string mce;
  if (auto o = require(cpu, !machineCheckPending(cpu, mce), r::kEnteraccsMce, InsnOutcome::RaiseGP, mce)) return *o;
  if (auto o = requireModuleRange(cpu, {r::kEnteraccsModuleAligned, r::kEnteraccsModuleSize,
                                        r::kEnteraccsModuleBelow4G}))
    return *o;
  const uint32_t base = static_cast<uint32_t>(cpu.reg(Reg::Rbx));
  const uint32_t size = static_cast<uint32_t>(cpu.reg(Reg::Rcx));
  // The other logical processors: waiting for SIPI or in SENTER sleep.
  std::string busy;
  for (int i = 0; i < host_.cpuCount() && busy.empty(); ++i) {
    if (i == cpu.index()) continue;
    Cpu& c = host_.cpu(i);
    const bool idle = c.state() == CpuState::WaitForSipi ||
                      (c.state() == CpuState::ModelSleep && c.modelSleepName() == kSenterSleep);
    if (!idle) busy = "CPU " + std::to_string(i) + " is " + cpuStateName(c.state());
  }
  if (auto o = require(cpu, busy.empty(), r::kEnteraccsRlpsIdle, InsnOutcome::RaiseGP, busy)) return *o;

  // Events masked; AC mode; the module loaded into AC RAM. What goes wrong
  // from here is a TXT shutdown.
  smx_.maskAll(cpu.index());
  smx_.at(cpu.index()).acMode = true;
  auto shutdown = [&](const LaunchRule& rule, uint32_t code, const std::string& detail) {
    if (breakRule(cpu, host_.launchRules(), rule, detail)) return InsnOutcome::Stop;
    chipset_.setErrorCode(code);
    chipset_.txtReset();
    cpu.stopMachine("txt-reset", std::string("TXT shutdown (") + rule.id + "): " + detail);
    return InsnOutcome::Stop;
  };
  std::vector<uint8_t> acram(size);
  if (!host_.memory().read(base, acram.data(), acram.size()))
    return shutdown(r::kEnteraccsModuleType, kShutdownUnsupportedAcm,
                    "the module at " + hex(base) + ".." + hex(uint64_t{base} + size) + " is not all RAM");
  // The SDM's order (vol. 2D GETSEC[ENTERACCS], Operation; shared/spec/
  // intel-txt.md §1): ModuleType and HeaderVersion first (#UnsupportedACM),
  // then the key and signature (#AuthenticateFail), then the format rules
  // (#BadACMFormat). So the two fields are read on their own before the
  // rest of the header is parsed: a module with a wrong type is reported
  // as that, whatever else is broken in its header.
  {
    const LeReader first(acram, "AC module at " + hex(base));
    const uint16_t type = first.u16(acm_off::kModuleType, "ModuleType");
    const uint32_t version = first.u32(acm_off::kHeaderVersion, "HeaderVersion");
    if (type != kAcmTypeChipset || !supportedHeaderVersion(version))
      return shutdown(r::kEnteraccsModuleType, kShutdownUnsupportedAcm,
                      "ModuleType " + hex(type) + ", header version " + hex(version));
  }
  AcmHeader h;
  try {
    h = parseAcmHeader(acram, "AC module at " + hex(base));
  } catch (const InputError& e) {
    return shutdown(r::kEnteraccsModuleType, kShutdownUnsupportedAcm, e.what());
  }
  // Authentication: the key's hash against TXT.PUBLIC.KEY, then the
  // signature over the module (header 3.0 keys use exponent 65537).
  if (txtPublicKeyHash(h.rsaPublicKey) != config_.publicKey)
    return shutdown(r::kEnteraccsAuthenticate, kShutdownAuthenticateFail,
                    "the hash of the module's key is not TXT.PUBLIC.KEY");
  if (!acmSignatureVerifies(acram, h))
    return shutdown(r::kEnteraccsAuthenticate, kShutdownAuthenticateFail, "the module's signature does not verify");
  if (auto bad = formatProblem(h, size)) return shutdown(r::kEnteraccsFormat, kShutdownBadAcmFormat, *bad);
  std::string notBios;
  try {
    const AcmModule m = parseAcmModule(acram, "AC module at " + hex(base));
    if (!m.info.uuidValid() || m.info.chipsetAcmType != kAcmChipsetTypeBios)
      notBios = "ChipsetACMType " + hex(m.info.chipsetAcmType) + " (0 is a BIOS ACM)";
    else if (!acmMatchesChipset(m, config_.profile.didvid))
      notBios = "no ChipsetIDList entry matches TXT.DIDVID " + hex(config_.profile.didvid);
  } catch (const InputError& e) {
    notBios = e.what();
  }
  if (!notBios.empty()) return shutdown(r::kEnteraccsBiosAcm, kShutdownUnsupportedAcm, notBios);

  // The entry state. EBX, ECX and EDX keep what the caller needs back
  // (the next instruction, its GDTR limit and CS, its GDTR base): the ACM
  // restores them and returns with EXITAC to EBX.
  const ArchState caller = cpu.archState();
  ArchState a = caller;
  a.cr0 = caller.cr0 & ~(kCr0Pg | kCr0Am | kCr0Wp);
  a.cr4 = caller.cr4 & ~kCr4Mce;
  a.rflags = 2;
  a.efer = 0;
  a.dr7 = 0x400;
  a.gprs[ArchState::Rbx] = static_cast<uint32_t>(caller.rip + insn.length);
  a.gprs[ArchState::Rcx] = (uint64_t{caller.gdtr.limit} << 16) | caller.cs.selector;
  a.gprs[ArchState::Rdx] = static_cast<uint32_t>(caller.gdtr.base);
  a.gprs[ArchState::Rbp] = base;
  a.gdtr = {uint64_t{base} + h.gdtBasePtr, static_cast<uint16_t>(h.gdtLimit)};
  a.cs = SegmentState::flatCode32(static_cast<uint16_t>(h.segSel));
  a.ds = SegmentState::flatData32(static_cast<uint16_t>(h.segSel + 8));
  a.rip = uint64_t{base} + h.entryPoint;
  // The chipset opens what AC code may touch (SDM: UnlockSMRAM,
  // OpenPrivate, OpenLocality3); EXITAC closes locality 3 and locks SMRAM.
  chipset_.unlockSmram();
  chipset_.openPrivate();
  chipset_.openLocality3();
  cpu.setArchState(a);
  return InsnOutcome::Jumped;
}

}  // namespace dlsim::txt
