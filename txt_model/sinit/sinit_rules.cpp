#include "txt_model/sinit/sinit_rules.h"

#include <deque>
#include <map>

#include "sim/errors.h"

namespace dlsim::txt::sinit_rules {

namespace {
#define SENTER_OP "SDM vol. 2D GETSEC[SENTER] Operation, "
uint32_t placeholder(uint8_t major) {
  return SinitErrorCode{kPlaceholderSinitClass, major, 0, false}.errorCode();
}
}  // namespace

// Processor checks: the SDM's TXT-SHUTDOWN types (spec §8).
const SinitRule kAcmReadable{{"sinit.acm.readable", SENTER_OP "TXT-SHUTDOWN(#BadACMFormat)",
                              "the SINIT module [EBX, EBX + ECX) lies in RAM (loaded into AC RAM)"},
                             processorShutdown(8), true};
const SinitRule kAcmFormat{{"sinit.acm.format", SENTER_OP "TXT-SHUTDOWN(#BadACMFormat)",
                            "the module's header, information table and lists parse, and Size*4 <= ECX"},
                           processorShutdown(8), true};
const SinitRule kAcmType{{"sinit.acm.type", SENTER_OP "TXT-SHUTDOWN(#UnsupportedACM)",
                          "ModuleType 2 (chipset), ModuleVendor 0x8086, ChipsetACMType 1 (SINIT)"},
                         processorShutdown(6), true};
const SinitRule kAcmMemoryType{{"sinit.acm.memory-type", SENTER_OP "TXT-SHUTDOWN(#BadACMMType)",
                                "the MTRRs map the whole SINIT module write-back (spec §5: SINIT range WB)"},
                               processorShutdown(5), true};
const SinitRule kAcmPublicKey{{"sinit.acm.public-key", SENTER_OP "TXT-SHUTDOWN(#AuthenticateFail)",
                               "SHA-256 of the module's RSA public key equals TXT.PUBLIC.KEY"},
                              processorShutdown(7), true};
const SinitRule kAcmSignature{{"sinit.acm.signature", SENTER_OP "TXT-SHUTDOWN(#AuthenticateFail)",
                               "the module's RSASSA-PKCS1-v1_5 signature verifies over its digest input"},
                              processorShutdown(7), true};

// SINIT's checks: ACM errors with placeholder class 0x3D unless a public
// source gives the code.
const SinitRule kChipsetId{{"sinit.platform.chipset-id", "MLE DG A.1 ChipsetIDList (spec §5)",
                            "an entry of the ACM's chipset ID list matches TXT.DIDVID"},
                           placeholder(1), false};
const SinitRule kProcessorId{{"sinit.platform.processor-id", "MLE DG A.1 ProcessorIDList (spec §5)",
                              "an entry of the ACM's processor ID list matches CPUID.1:EAX and IA32_PLATFORM_ID"},
                             placeholder(2), false};
const SinitRule kSinitRegion{{"sinit.platform.sinit-region", "MLE DG TXT.SINIT.BASE/SIZE (spec §2)",
                              "the module starts at TXT.SINIT.BASE and fits in TXT.SINIT.SIZE"},
                             placeholder(3), false};
const SinitRule kHeapReadable{{"sinit.platform.heap-readable", "MLE DG TXT.HEAP.BASE/SIZE (spec §3)",
                               "TXT.HEAP.BASE/SIZE name RAM holding the heap"},
                              placeholder(4), false};
// Class 0x05, major 0x0D: "Invalid PMR configuration" in Intel's
// SINIT_Errors table for 4th-gen (Haswell/Broadwell) SINITs, as a field report
// quotes it (tboot-devel, January 2020: Dell PowerEdge R730, TXT.ERRORCODE
// 0xc0033451, progress 0x05, error 0xd). The minor (there 3) is dlsim's 0.
const SinitRule kPmrCoversMle{{"sinit.pmr.covers-mle",
                               "MLE DG OsSinitData PMR fields (spec §3, §9); ERRORCODE class 0x05 major 0x0D "
                               "(SINIT_Errors, Invalid PMR configuration)",
                               "the low or high PMR OsSinitData asks for covers the MLE and its page tables"},
                              SinitErrorCode{0x05, 0x0D, 0, true}.errorCode(), true};
const SinitRule kDprCovers{{"sinit.dpr.covers-heap-sinit", "MLE DG TXT.DPR (spec §2, §9)",
                            "TXT.DPR is locked and covers the TXT heap and the SINIT region"},
                           placeholder(6), false};
const SinitRule kMtrrDefault{{"sinit.mtrr.default-uc", "SDM vol. 2D GETSEC[SENTER] / spec §5 (MTRRs: default UC)",
                              "IA32_MTRR_DEF_TYPE: MTRRs enabled, default memory type UC"},
                             placeholder(7), false};
const SinitRule kMtrrOnlySinitWb{{"sinit.mtrr.only-sinit-cached",
                                  "SDM vol. 2D GETSEC[SENTER] / spec §5 (SINIT range WB, the rest UC)",
                                  "no fixed-range MTRR and no variable MTRR outside the SINIT region maps memory "
                                  "other than UC"},
                                 placeholder(8), false};
const SinitRule kHeapRoom{{"sinit.heap.room-for-sinit-mle-data", "MLE DG SinitMleData (spec §3)",
                           "SinitMleData fits in the heap after OsSinitData"},
                          placeholder(9), false};

// The TPM: the measurer gives the code (class 0x0D, major 0x0A, spec §8).
const SinitRule kMeasureAcm{{"sinit.measure.acm", "SDM vol. 2D GETSEC[SENTER] (TPM Hash_Start/Data/End, spec §7)",
                             "the TPM takes the ACM measurement at locality 4"},
                            SinitErrorCode{0x0D, 0x0A, 0, true}.errorCode(), true};
const SinitRule kMeasureLaunch{{"sinit.measure.launch", "MLE DG PCR 17/18 usage (spec §7)",
                                "the TPM takes SINIT's PCR 17/18 extends at locality 3"},
                               SinitErrorCode{0x0D, 0x0A, 0, true}.errorCode(), true};

#undef SENTER_OP

namespace {

// Heap and MLE rules become launch rules "sinit.<name>" with their code.
struct Derived {
  std::deque<std::string> ids;
  std::deque<SinitRule> rules;
  std::map<heap::HeapRule, const SinitRule*> heap;
  std::map<mle::MleRule, const SinitRule*> mle;

  const SinitRule* add(const char* name, const char* reference, const SinitErrorCode& code) {
    ids.push_back(std::string("sinit.") + name);
    rules.push_back(SinitRule{{ids.back().c_str(), reference, reference}, code.errorCode(), code.documented});
    return &rules.back();
  }
};

const Derived& derived() {
  static const Derived d = [] {
    Derived x;
    for (heap::HeapRule r : heap::allHeapRules()) {
      const auto& i = heap::heapRuleInfo(r);
      x.heap[r] = x.add(i.name, i.reference, i.code);
    }
    for (mle::MleRule r : mle::allMleRules()) {
      const auto& i = mle::mleRuleInfo(r);
      x.mle[r] = x.add(i.name, i.reference, i.code);
    }
    return x;
  }();
  return d;
}

}  // namespace

const SinitRule& heapRule(heap::HeapRule rule) { return *derived().heap.at(rule); }
const SinitRule& mleRule(mle::MleRule rule) { return *derived().mle.at(rule); }

const std::vector<const SinitRule*>& all() {
  static const std::vector<const SinitRule*> rules = [] {
    std::vector<const SinitRule*> v = {&kAcmReadable, &kAcmFormat,     &kAcmType,   &kAcmMemoryType, &kAcmPublicKey,
                                       &kAcmSignature, &kMeasureAcm,   &kChipsetId, &kProcessorId,   &kSinitRegion,
                                       &kHeapReadable};
    for (heap::HeapRule r : heap::allHeapRules()) v.push_back(&heapRule(r));
    for (mle::MleRule r : mle::allMleRules()) v.push_back(&mleRule(r));
    for (const SinitRule* r : {&kPmrCoversMle, &kDprCovers, &kMtrrDefault, &kMtrrOnlySinitWb, &kMeasureLaunch,
                               &kHeapRoom})
      v.push_back(r);
    return v;
  }();
  return rules;
}

std::vector<LaunchRule> launchRules() {
  std::vector<LaunchRule> out;
  for (const SinitRule* r : all()) out.push_back(r->rule);
  return out;
}

const SinitRule* find(const std::string& id) {
  for (const SinitRule* r : all())
    if (id == r->rule.id) return r;
  return nullptr;
}

const SinitRule* findByErrorCode(uint32_t code) {
  for (const SinitRule* r : all())
    if (r->errorCode == code) return r;
  return nullptr;
}

}  // namespace dlsim::txt::sinit_rules
