#include "svm_model/skinit/skinit_rules.h"

namespace dlsim::svm::skinit_rules {

// References: AMD64 APM vol. 2 rev 3.29, 15.27 (Secure Startup with SKINIT)
// and 15.4 (Enabling SVM: SKINIT and STGI need EFER.SVME or the CPUID SKINIT
// bit, else #UD); the other faults of the SKINIT instruction page (APM vol.
// 3), as VirtualBox's SKINIT decoder and TrenchBoot's AMD late-launch notes
// state them (that page itself was not read: shared spec note amd-skinit.md 1.1).
const LaunchRule kSvmEnabled{"skinit.svm-enabled", "APM vol. 2 15.4",
                             "EFER.SVME = 1 or CPUID Fn8000_0001 ECX bit 12 (SKINIT) = 1"};
const LaunchRule kProtectedMode{"skinit.protected-mode", "APM vol. 3 SKINIT #UD",
                                "protected mode (CR0.PE = 1) and EFLAGS.VM = 0"};
const LaunchRule kCpl0{"skinit.cpl0", "APM vol. 3 SKINIT #GP(0)", "CPL = 0"};
const LaunchRule kSlbAligned{"skinit.slb-aligned", "APM vol. 2 15.27.3, 15.27.6",
                             "EAX holds a 64 KiB aligned SLB base (SKINIT clears EAX[15:0])"};
const LaunchRule kSlbInRam{"skinit.slb-in-ram", "APM vol. 2 15.27.3",
                           "the SL image SKINIT measures is RAM"};
const LaunchRule kSlbHeader{"skinit.slb-header", "APM vol. 2 15.27.2",
                            "the SLB header's length covers the header (>= 4) and its entry offset is below "
                            "the length"};
const LaunchRule kApsParked{"skinit.aps-parked", "APM vol. 2 15.27.8",
                            "every AP is in the INIT state (waiting for a start-up IPI) when SKINIT runs"};
const LaunchRule kNoInitBeforeSipi{"skinit.no-init-before-sipi", "APM vol. 2 15.27.8",
                                   "no INIT IPI is sent between SKINIT and every AP's start-up IPI"};

const std::vector<LaunchRule>& all() {
  static const std::vector<LaunchRule> rules{kSvmEnabled, kProtectedMode, kCpl0,      kSlbAligned,
                                             kSlbInRam,   kSlbHeader,     kApsParked, kNoInitBeforeSipi};
  return rules;
}

}  // namespace dlsim::svm::skinit_rules
