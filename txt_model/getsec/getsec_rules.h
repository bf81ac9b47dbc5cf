// The strict launch rules of GETSEC (sim/launch_rules.h): one per
// precondition the SDM vol. 2D (chapter 6, Safer Mode Extensions reference)
// states for a leaf, with the fault it raises. docs/txt-rules.md lists them
// all; a test keeps the list and the document equal.
//
// Not modelled (dlsim emulates neither VMX operation nor SMM, so these never
// hold): VMX root/non-root operation and "in SMM" conditions.
#pragma once
#include <vector>

#include "sim/launch_rules.h"

namespace dlsim::txt::getsec_rules {

// Every leaf.
extern const LaunchRule kSmxe;            // CR4.SMXE = 1, else #UD
extern const LaunchRule kLeafSupported;   // leaf reported by CAPABILITIES, else #UD
extern const LaunchRule kNoPrefix;        // no LOCK/REP/operand-size prefix, else #UD

// ENTERACCS / SENTER / SEXIT / WAKEUP / SMCTRL / EXITAC: protected mode, CPL 0.
extern const LaunchRule kEnteraccsProtectedMode, kEnteraccsCpl0, kEnteraccsCache, kEnteraccsNe, kEnteraccsBsp,
    kEnteraccsChipset, kEnteraccsNotAcMode, kEnteraccsMce, kEnteraccsModuleAligned, kEnteraccsModuleSize,
    kEnteraccsModuleBelow4G, kEnteraccsRlpsIdle, kEnteraccsModuleType, kEnteraccsAuthenticate, kEnteraccsFormat,
    kEnteraccsBiosAcm;
extern const LaunchRule kSenterProtectedMode, kSenterCpl0, kSenterCache, kSenterNe, kSenterBsp, kSenterChipset,
    kSenterNotMeasured, kSenterNotAcMode, kSenterTpm, kSenterEdxSupported, kSenterFeatureControlLocked,
    kSenterGlobalEnable, kSenterLocalEnables, kSenterMce, kSenterModuleAligned, kSenterModuleSize,
    kSenterModuleBelow4G;
extern const LaunchRule kSexitProtectedMode, kSexitCpl0, kSexitBsp, kSexitChipset, kSexitMeasured, kSexitNotAcMode;
extern const LaunchRule kWakeupProtectedMode, kWakeupCpl0, kWakeupBsp, kWakeupChipset, kWakeupMeasured,
    kWakeupNotAcMode, kWakeupJoinFormat;
extern const LaunchRule kSmctrlProtectedMode, kSmctrlCpl0, kSmctrlEbxZero, kSmctrlMeasured, kSmctrlNotAcMode;
extern const LaunchRule kExitacProtectedMode, kExitacCpl0, kExitacAcMode, kExitacEdxZero;

// Every rule above, in document order.
const std::vector<LaunchRule>& all();

}  // namespace dlsim::txt::getsec_rules
