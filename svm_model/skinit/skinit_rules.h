// The strict launch rules of SKINIT (sim/launch_rules.h): its faults and the
// launch conditions of APM vol. 2 15.27 that the hardware does not check
// itself. docs/svm-rules.md lists them all with their hardware answer; a test
// keeps the list and the document equal.
#pragma once
#include <vector>

#include "sim/launch_rules.h"

namespace dlsim::svm::skinit_rules {

extern const LaunchRule kSvmEnabled;     // EFER.SVME or CPUID Fn8000_0001 ECX[12], else #UD
extern const LaunchRule kProtectedMode;  // not real or virtual-8086 mode, else #UD
extern const LaunchRule kCpl0;           // CPL 0, else #GP(0)
extern const LaunchRule kSlbAligned;     // EAX[15:0] = 0 (hardware clears them)
extern const LaunchRule kSlbInRam;       // the measured image is RAM
extern const LaunchRule kSlbHeader;      // 4 <= length, entry offset < length
extern const LaunchRule kApsParked;      // every AP waits for SIPI (INIT state)
extern const LaunchRule kNoInitBeforeSipi;  // no INIT between SKINIT and every AP's SIPI

// Every rule above, in document order.
const std::vector<LaunchRule>& all();

}  // namespace dlsim::svm::skinit_rules
