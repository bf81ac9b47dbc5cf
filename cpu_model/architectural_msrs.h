// The architectural MSRs pre-launch code reads and writes before GETSEC or
// SKINIT (tboot's and the Secure Launch stub's checks, BIOS-style MTRR
// set-up), kept per CPU with the SDM's write rules:
//  - IA32_PLATFORM_ID (0x17, read-only), IA32_SMM_MONITOR_CTL (0x9B),
//  - the MTRRs: IA32_MTRRCAP (0xFE, read-only), IA32_MTRR_DEF_TYPE (0x2FF),
//    IA32_MTRR_PHYSBASEn/PHYSMASKn (0x200 + 2n, 0x201 + 2n, n < MTRRCAP.VCNT),
//    the fixed ranges 0x250, 0x258, 0x259, 0x268-0x26F (when MTRRCAP.FIX),
//  - machine check: IA32_MCG_CAP (0x179, read-only), IA32_MCG_STATUS (0x17A)
//    and the MCi_CTL/STATUS/ADDR/MISC banks from 0x400 (4 per bank).
// A write that breaks a rule raises #GP (WRMSR returns false). IA32_APIC_BASE
// (with its BSP flag) belongs to the local APICs (cpu_model/lapic.h).
//
// The platform side (a launch model, a scenario) sets values software could
// not write, such as a bank's STATUS holding an uncorrected error that SENTER
// must refuse, or the platform ID, through MsrRegistry::setByPlatform.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>

#include "sim/reset_kind.h"

namespace dlsim {

class MsrRegistry;
class SnapshotRegistry;
class CpuidProfile;

struct ArchMsrConfig {
  int cpus = 1;
  // MAXPHYADDR (CPUID 0x80000008 EAX[7:0]): bits above it are reserved in
  // the variable-range MTRRs.
  int physAddrBits = 40;
  uint64_t platformId = 0;   // IA32_PLATFORM_ID's value (bits 52:50: the platform type)
  int variableMtrrs = 10;    // MTRRCAP.VCNT (bits 7:0), at most 40 here
  bool fixedMtrrs = true;    // MTRRCAP.FIX (bit 8)
  bool writeCombining = true;  // MTRRCAP.WC (bit 10): type 1 valid
  int machineCheckBanks = 10;  // MCG_CAP.Count (bits 7:0), at most 32 here
};

// Registers the MSRs above for `config.cpus` CPUs and their state as one
// snapshot part ("architectural MSRs"). All values start as after power-up:
// MTRRs disabled (DEF_TYPE 0), MCA banks clear.
//
// Returns what a platform reset does to them (the machine calls it from its
// reset hooks; INIT does not: SDM vol. 3A, 9.1, an INIT leaves MSRs and
// MTRRs unchanged):
//  - warm and cold: the MTRRs are disabled (SDM vol. 3A, 11.11.5: RESET
//    clears DEF_TYPE.E and every variable range's V flag; the other bits are
//    undefined, and dlsim zeroes them as at power-up) and IA32_MCG_STATUS is
//    cleared (no machine check in progress);
//  - warm: the MCi_CTL/STATUS/ADDR/MISC banks keep their contents, so that
//    firmware can log the errors that caused the reset (SDM vol. 3B, 15.8:
//    the initialization flow clears the banks only after a power-on reset);
//  - cold (power cycle): the banks are cleared, as at power-up.
// IA32_PLATFORM_ID and IA32_SMM_MONITOR_CTL, values only the platform sets,
// stay.
std::function<void(ResetKind)> registerArchitecturalMsrs(MsrRegistry& msrs, SnapshotRegistry& snapshots,
                                                         const ArchMsrConfig& config);
// The defaults for `cpus` CPUs of this CPUID profile (MAXPHYADDR from its
// leaf 0x80000008).
ArchMsrConfig archMsrConfigFor(int cpus, const CpuidProfile& cpuid);

namespace arch_msr {
constexpr uint32_t kPlatformId = 0x17;
constexpr uint32_t kSmmMonitorCtl = 0x9b;
constexpr uint32_t kMtrrCap = 0xfe;
constexpr uint32_t kMcgCap = 0x179;
constexpr uint32_t kMcgStatus = 0x17a;
constexpr uint32_t kMtrrPhysBase0 = 0x200;
constexpr uint32_t kMtrrFix64k = 0x250;
constexpr uint32_t kMtrrFix16k80000 = 0x258;
constexpr uint32_t kMtrrFix16kA0000 = 0x259;
constexpr uint32_t kMtrrFix4kC0000 = 0x268;  // .. 0x26F
constexpr uint32_t kMtrrDefType = 0x2ff;
constexpr uint32_t kMc0Ctl = 0x400;           // MCi_CTL = 0x400 + 4i, STATUS +1, ADDR +2, MISC +3
}  // namespace arch_msr

}  // namespace dlsim
