// What pre-launch code checks in a SINIT before GETSEC[SENTER], as Debian's
// tboot 1.10.5 does it (txt/acmod.c: is_acmod, is_sinit_acmod,
// does_acmod_match_platform, verify_acmod; facts only). `dlsim mkacm`
// checks its own output with this, and tests use it to show that a module
// built for one platform is refused by another.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "txt_model/acm/acm_module.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

// tboot 1.10.5's MLE header version and capabilities (include/mle.h), and
// the lowest OsSinitData version it builds (shared/spec/intel-txt.md §5).
constexpr uint32_t kTbootMleHeaderVersion = 0x00020003;
constexpr uint32_t kTbootMleCapabilities = 0x00000227;
constexpr uint32_t kTbootMinOsSinitDataVersion = 4;

// Whether an entry of the module's chipset ID list matches TXT.DIDVID (VID
// and DID equal; RID equal, or RID & entry's RID != 0 when flags bit 0).
bool acmMatchesChipset(const AcmModule& module, uint64_t didvid);
// Whether an entry of its processor ID list matches CPUID.1:EAX and IA32_PLATFORM_ID.
bool acmMatchesProcessor(const AcmModule& module, uint32_t cpuidSignature, uint64_t platformId);

// The failed checks, one line each ("<rule>: <what was found>"); empty when
// tboot would accept `module` (file bytes, `fileSize` long, loaded at a
// 4 KiB-aligned address) as the SINIT for `platform`.
std::vector<std::string> preLaunchSinitProblems(const AcmModule& module, uint64_t fileSize,
                                                const TxtProfile& platform);

}  // namespace dlsim::txt
