// What SINIT refuses in the MLE header and the MLE page tables, one named
// rule each, with the TXT.ERRORCODE value the SINIT model writes (a
// placeholder class: see txt_model/heap/heap_rules.h for why).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "txt_model/heap/heap_rules.h"

namespace dlsim::txt::mle {

enum class MleRule {
  // header (SDG "MLE header"; spec §4)
  kHeaderUnreadable,
  kBadUuid,
  kVersionUnsupported,
  kLengthTooSmall,
  kHeaderOutsideMle,
  kEntryOutsideMle,
  kSizeMismatch,
  kCapabilityNotInHeader,
  kCmdlineWindowInvalid,
  // page tables (SDG "MLE page table requirements")
  kBadSize,
  kTableUnreadable,
  kNotPresent,
  kLargePage,
  kNotIncreasing,
  kMappingBeyondMle,
  kOverlapsForbiddenRegion,
  // header, added last so the codes above stay
  kFirstValidPageNotZero,
};

struct MleRuleInfo {
  const char* name;
  const char* reference;
  bool sourced;  // false: a dlsim choice where no public source says what SINIT does
  SinitErrorCode code;
};

const MleRuleInfo& mleRuleInfo(MleRule rule);
const std::vector<MleRule>& allMleRules();

struct MleFailure {
  MleRule rule;
  std::string detail;
  const char* name() const { return mleRuleInfo(rule).name; }
};

}  // namespace dlsim::txt::mle
