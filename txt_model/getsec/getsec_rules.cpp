#include "txt_model/getsec/getsec_rules.h"

namespace dlsim::txt::getsec_rules {

// References: Intel SDM vol. 2D, chapter 6 (GETSEC leaf pages: Operation and
// Protected Mode Exceptions); the MLE developer's guide for TXT shutdowns.
#define SDM(leaf, fault) "SDM vol. 2D GETSEC[" leaf "] " fault

const LaunchRule kSmxe{"getsec.smxe", "SDM vol. 2D GETSEC #UD", "CR4.SMXE must be 1 to execute GETSEC"};
const LaunchRule kLeafSupported{"getsec.leaf-supported", "SDM vol. 2D GETSEC #UD",
                                "the leaf in EAX must be one GETSEC[CAPABILITIES] reports"};
const LaunchRule kNoPrefix{"getsec.no-prefix", "SDM vol. 2D GETSEC Use of Prefixes (#UD)",
                           "GETSEC takes no LOCK, REP/REPNE or operand-size prefix"};

const LaunchRule kEnteraccsProtectedMode{"getsec.enteraccs.protected-mode", SDM("ENTERACCS", "#GP(0)"),
                                         "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kEnteraccsCpl0{"getsec.enteraccs.cpl0", SDM("ENTERACCS", "#GP(0)"), "CPL = 0"};
const LaunchRule kEnteraccsCache{"getsec.enteraccs.cache-enabled", SDM("ENTERACCS", "#GP(0)"),
                                 "CR0.CD = 0 and CR0.NW = 0"};
const LaunchRule kEnteraccsNe{"getsec.enteraccs.cr0-ne", SDM("ENTERACCS", "#GP(0)"), "CR0.NE = 1"};
const LaunchRule kEnteraccsBsp{"getsec.enteraccs.bsp", SDM("ENTERACCS", "#GP(0)"),
                               "executed by the boot-strap processor (IA32_APIC_BASE.BSP = 1)"};
const LaunchRule kEnteraccsChipset{"getsec.enteraccs.chipset", SDM("ENTERACCS", "#GP(0)"),
                                   "a TXT-capable chipset is present"};
const LaunchRule kEnteraccsNotAcMode{"getsec.enteraccs.not-ac-mode", SDM("ENTERACCS", "#GP(0)"),
                                     "not already in authenticated code execution mode"};
const LaunchRule kEnteraccsMce{"getsec.enteraccs.no-machine-check", SDM("ENTERACCS", "#GP(0)"),
                               "no uncorrectable error in IA32_MCi_STATUS and IA32_MCG_STATUS.MCIP = 0"};
const LaunchRule kEnteraccsModuleAligned{"getsec.enteraccs.module-aligned", SDM("ENTERACCS", "#GP(0)"),
                                         "the AC module base (EBX) is 4 KiB aligned"};
const LaunchRule kEnteraccsModuleSize{"getsec.enteraccs.module-size", SDM("ENTERACCS", "#GP(0)"),
                                      "the AC module size (ECX) is a non-zero multiple of 64 within the AC "
                                      "execution area (GETSEC[PARAMETERS] type 2)"};
const LaunchRule kEnteraccsModuleBelow4G{"getsec.enteraccs.module-below-4g", SDM("ENTERACCS", "#GP(0)"),
                                         "the AC module ends below 4 GiB"};
const LaunchRule kEnteraccsRlpsIdle{"getsec.enteraccs.rlps-idle", SDM("ENTERACCS", "#GP(0)"),
                                    "every other logical processor waits for SIPI or is in SENTER sleep"};
const LaunchRule kEnteraccsModuleType{"getsec.enteraccs.module-type",
                                      "SDM vol. 2D GETSEC[ENTERACCS] TXT-SHUTDOWN(#UnsupportedACM)",
                                      "the module is RAM, ModuleType is 2 (chipset) and its header version is "
                                      "supported (0.0 or 3.0)"};
const LaunchRule kEnteraccsAuthenticate{"getsec.enteraccs.authenticate",
                                        "SDM vol. 2D GETSEC[ENTERACCS] TXT-SHUTDOWN(#AuthenticateFail)",
                                        "the hash of the module's key is TXT.PUBLIC.KEY and its signature "
                                        "verifies over the module"};
const LaunchRule kEnteraccsFormat{"getsec.enteraccs.module-format",
                                  "SDM vol. 2D GETSEC[ENTERACCS] TXT-SHUTDOWN(#BadACMFormat)",
                                  "CodeControl reserved bits 0; GDT and entry point inside the module's user "
                                  "area; GDT limit <= 0xFFFF; 8 <= SegSel <= GDT limit - 15, TI = RPL = 0"};
const LaunchRule kEnteraccsBiosAcm{"getsec.enteraccs.bios-acm",
                                   "MLE DG appendix A (ChipsetACMType); dlsim runs BIOS ACM stand-ins only",
                                   "the module's information table names a BIOS ACM (ChipsetACMType 0) for "
                                   "this chipset (its chipset ID list matches TXT.DIDVID)"};

const LaunchRule kSenterProtectedMode{"getsec.senter.protected-mode", SDM("SENTER", "#GP(0)"),
                                      "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kSenterCpl0{"getsec.senter.cpl0", SDM("SENTER", "#GP(0)"), "CPL = 0"};
const LaunchRule kSenterCache{"getsec.senter.cache-enabled", SDM("SENTER", "#GP(0)"), "CR0.CD = 0 and CR0.NW = 0"};
const LaunchRule kSenterNe{"getsec.senter.cr0-ne", SDM("SENTER", "#GP(0)"), "CR0.NE = 1"};
const LaunchRule kSenterBsp{"getsec.senter.bsp", SDM("SENTER", "#GP(0)"),
                            "executed by the boot-strap processor (IA32_APIC_BASE.BSP = 1)"};
const LaunchRule kSenterChipset{"getsec.senter.chipset", SDM("SENTER", "#GP(0)"), "a TXT-capable chipset is present"};
const LaunchRule kSenterNotMeasured{"getsec.senter.not-measured", SDM("SENTER", "#GP(0)"),
                                    "no measured environment is active (SENTERFLAG = 0)"};
const LaunchRule kSenterNotAcMode{"getsec.senter.not-ac-mode", SDM("SENTER", "#GP(0)"),
                                  "not in authenticated code execution mode"};
const LaunchRule kSenterTpm{"getsec.senter.tpm-present", SDM("SENTER", "#GP(0)"),
                            "the chipset's TPM interface is present"};
const LaunchRule kSenterEdxSupported{"getsec.senter.edx-supported", SDM("SENTER", "#GP(0)"),
                                     "EDX sets only SENTER function controls GETSEC[PARAMETERS] type 4 reports"};
const LaunchRule kSenterFeatureControlLocked{"getsec.senter.feature-control-locked", SDM("SENTER", "#GP(0)"),
                                             "IA32_FEATURE_CONTROL lock (bit 0) is set"};
const LaunchRule kSenterGlobalEnable{"getsec.senter.feature-control-global-enable", SDM("SENTER", "#GP(0)"),
                                     "IA32_FEATURE_CONTROL SENTER global enable (bit 15) is set"};
const LaunchRule kSenterLocalEnables{"getsec.senter.feature-control-local-enables", SDM("SENTER", "#GP(0)"),
                                     "IA32_FEATURE_CONTROL bits 14:8 enable every function EDX[6:0] asks for"};
const LaunchRule kSenterMce{"getsec.senter.no-machine-check", SDM("SENTER", "#GP(0)"),
                            "no uncorrectable error in IA32_MCi_STATUS and IA32_MCG_STATUS.MCIP = 0"};
const LaunchRule kSenterModuleAligned{"getsec.senter.module-aligned", SDM("SENTER", "#GP(0)"),
                                      "the SINIT base (EBX) is 4 KiB aligned"};
const LaunchRule kSenterModuleSize{"getsec.senter.module-size", SDM("SENTER", "#GP(0)"),
                                   "the SINIT size (ECX) is a non-zero multiple of 64 within the AC execution area "
                                   "(GETSEC[PARAMETERS] type 2)"};
const LaunchRule kSenterModuleBelow4G{"getsec.senter.module-below-4g", SDM("SENTER", "#GP(0)"),
                                      "the SINIT module ends below 4 GiB"};

const LaunchRule kSexitProtectedMode{"getsec.sexit.protected-mode", SDM("SEXIT", "#GP(0)"),
                                     "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kSexitCpl0{"getsec.sexit.cpl0", SDM("SEXIT", "#GP(0)"), "CPL = 0"};
const LaunchRule kSexitBsp{"getsec.sexit.bsp", SDM("SEXIT", "#GP(0)"),
                           "executed by the boot-strap processor (IA32_APIC_BASE.BSP = 1)"};
const LaunchRule kSexitChipset{"getsec.sexit.chipset", SDM("SEXIT", "#GP(0)"), "a TXT-capable chipset is present"};
const LaunchRule kSexitMeasured{"getsec.sexit.measured", SDM("SEXIT", "#GP(0)"),
                                "a measured environment is active (SENTERFLAG = 1)"};
const LaunchRule kSexitNotAcMode{"getsec.sexit.not-ac-mode", SDM("SEXIT", "#GP(0)"),
                                 "not in authenticated code execution mode"};

const LaunchRule kWakeupProtectedMode{"getsec.wakeup.protected-mode", SDM("WAKEUP", "#GP(0)"),
                                      "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kWakeupCpl0{"getsec.wakeup.cpl0", SDM("WAKEUP", "#GP(0)"), "CPL = 0"};
const LaunchRule kWakeupBsp{"getsec.wakeup.bsp", SDM("WAKEUP", "#GP(0)"),
                            "executed by the boot-strap processor (IA32_APIC_BASE.BSP = 1)"};
const LaunchRule kWakeupChipset{"getsec.wakeup.chipset", SDM("WAKEUP", "#GP(0)"), "a TXT-capable chipset is present"};
const LaunchRule kWakeupMeasured{"getsec.wakeup.measured", SDM("WAKEUP", "#GP(0)"),
                                 "a measured environment is active (SENTERFLAG = 1)"};
const LaunchRule kWakeupNotAcMode{"getsec.wakeup.not-ac-mode", SDM("WAKEUP", "#GP(0)"),
                                  "not in authenticated code execution mode"};
const LaunchRule kWakeupJoinFormat{"getsec.wakeup.join-format",
                                   "SDM vol. 2D GETSEC[WAKEUP] RLP TXT-SHUTDOWN(#BadJOINFormat)",
                                   "the MLE JOIN structure: GDT limit <= 0xFFFF, 8 <= selector <= limit - 15, "
                                   "selector TI = 0 and RPL = 0"};

const LaunchRule kSmctrlProtectedMode{"getsec.smctrl.protected-mode", SDM("SMCTRL", "#GP(0)"),
                                      "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kSmctrlCpl0{"getsec.smctrl.cpl0", SDM("SMCTRL", "#GP(0)"), "CPL = 0"};
const LaunchRule kSmctrlEbxZero{"getsec.smctrl.ebx-zero", SDM("SMCTRL", "#GP(0)"),
                                "EBX = 0 (the only SMCTRL operation defined)"};
const LaunchRule kSmctrlMeasured{"getsec.smctrl.measured", SDM("SMCTRL", "#GP(0)"),
                                 "a measured environment is active (SENTERFLAG = 1)"};
const LaunchRule kSmctrlNotAcMode{"getsec.smctrl.not-ac-mode", SDM("SMCTRL", "#GP(0)"),
                                  "not in authenticated code execution mode"};

const LaunchRule kExitacProtectedMode{"getsec.exitac.protected-mode", SDM("EXITAC", "#GP(0)"),
                                      "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kExitacCpl0{"getsec.exitac.cpl0", SDM("EXITAC", "#GP(0)"), "CPL = 0"};
const LaunchRule kExitacAcMode{"getsec.exitac.ac-mode", SDM("EXITAC", "#GP(0)"),
                               "in authenticated code execution mode (ENTERACCS or SENTER)"};
const LaunchRule kExitacEdxZero{"getsec.exitac.edx-zero", SDM("EXITAC", "#GP(0)"),
                                "EDX = 0 (other values are reserved)"};


#undef SDM

const std::vector<LaunchRule>& all() {
  static const std::vector<LaunchRule> rules = {
      kSmxe, kLeafSupported, kNoPrefix,
      kEnteraccsProtectedMode, kEnteraccsCpl0, kEnteraccsCache, kEnteraccsNe, kEnteraccsBsp, kEnteraccsChipset,
      kEnteraccsNotAcMode, kEnteraccsMce, kEnteraccsModuleAligned, kEnteraccsModuleSize, kEnteraccsModuleBelow4G,
      kEnteraccsRlpsIdle, kEnteraccsModuleType, kEnteraccsAuthenticate, kEnteraccsFormat, kEnteraccsBiosAcm,
      kSenterProtectedMode, kSenterCpl0, kSenterCache, kSenterNe, kSenterBsp, kSenterChipset, kSenterNotMeasured,
      kSenterNotAcMode, kSenterTpm, kSenterEdxSupported, kSenterFeatureControlLocked, kSenterGlobalEnable,
      kSenterLocalEnables, kSenterMce, kSenterModuleAligned, kSenterModuleSize, kSenterModuleBelow4G,
      kSexitProtectedMode, kSexitCpl0, kSexitBsp, kSexitChipset, kSexitMeasured, kSexitNotAcMode,
      kWakeupProtectedMode, kWakeupCpl0, kWakeupBsp, kWakeupChipset, kWakeupMeasured, kWakeupNotAcMode,
      kWakeupJoinFormat,
      kSmctrlProtectedMode, kSmctrlCpl0, kSmctrlEbxZero, kSmctrlMeasured, kSmctrlNotAcMode,
      kExitacProtectedMode, kExitacCpl0, kExitacAcMode, kExitacEdxZero,
  };
  return rules;
}

}  // namespace dlsim::txt::getsec_rules
