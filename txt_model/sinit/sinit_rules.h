// The strict launch rules of the SINIT model (sim/launch_rules.h): one per
// check SENTER's processor side makes on the ACM after the rendezvous and
// per check SINIT makes before it enters the MLE, each with the
// TXT.ERRORCODE a broken rule leaves before the TXT reset (mode "hardware").
//
//  - "sinit.acm.*" processor checks (SDM vol. 2D GETSEC[SENTER] Operation):
//    TXT shutdown, ERRORCODE = bit 31 | shutdown type (spec §8: 5 bad ACM
//    memory type, 6 unsupported ACM, 7 authentication fail, 8 bad ACM format);
//  - "sinit.platform.*", "sinit.pmr.*", "sinit.dpr.*", "sinit.mtrr.*",
//    "sinit.heap.*" (txt_model/heap/heap_rules.h), "sinit.mle.*"
//    (txt_model/mle/mle_rules.h): SINIT's own checks, an ACM error
//    (class/major/minor). No public source gives Intel's class and major for
//    these: they carry clearly named placeholder classes (heap 0x3E, MLE
//    0x3F, the rest kPlaceholderSinitClass 0x3D) that decode as "SINIT ACM
//    error" and are listed in docs/txt-rules.md;
//  - "sinit.measure.*": the TPM failed; the ERRORCODE is the measurer's
//    (class 0x0D major 0x0A with the TPM's code, spec §8).
// docs/txt-rules.md lists them all; TxtRulesDoc keeps it equal to all().
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/launch_rules.h"
#include "txt_model/heap/heap_rules.h"
#include "txt_model/mle/mle_rules.h"

namespace dlsim::txt::sinit_rules {

// Placeholder class (not Intel's) of SINIT's ACM, platform, PMR, DPR and MTRR checks.
inline constexpr uint8_t kPlaceholderSinitClass = 0x3D;

// TXT.ERRORCODE of a processor TXT shutdown of type `type` (spec §8).
constexpr uint32_t processorShutdown(uint32_t type) { return 0x80000000u | type; }

struct SinitRule {
  LaunchRule rule;
  uint32_t errorCode = 0;   // what ERRORCODE holds after the TXT reset
  bool documented = false;  // the code comes from a public source (false: placeholder)
};

// --- processor: the ACM as SENTER loads and authenticates it ---
extern const SinitRule kAcmReadable, kAcmFormat, kAcmType, kAcmMemoryType, kAcmPublicKey, kAcmSignature;
// --- SINIT: the platform it runs on ---
extern const SinitRule kChipsetId, kProcessorId, kSinitRegion, kHeapReadable, kHeapRoom;
// --- SINIT: DMA protection and memory types ---
extern const SinitRule kPmrCoversMle, kDprCovers, kMtrrDefault, kMtrrOnlySinitWb;
// --- the measurements ---
extern const SinitRule kMeasureAcm, kMeasureLaunch;

const SinitRule& heapRule(heap::HeapRule rule);  // "sinit." + heap rule name
const SinitRule& mleRule(mle::MleRule rule);     // "sinit." + MLE rule name

// Every rule, in the order SENTER and SINIT meet them.
const std::vector<const SinitRule*>& all();
std::vector<LaunchRule> launchRules();
// The rule with this id, nullptr when none.
const SinitRule* find(const std::string& id);
// The first rule (in all()'s order) whose ERRORCODE is `code`, nullptr when none.
const SinitRule* findByErrorCode(uint32_t code);

}  // namespace dlsim::txt::sinit_rules
