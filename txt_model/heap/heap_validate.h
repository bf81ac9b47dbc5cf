// The heap checks SINIT makes before it trusts what the loader wrote
// (SDG appendix C; rules and references in heap_rules.h). The SINIT
// profile's supported ranges and capabilities come in as parameters.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "txt_model/heap/heap_parse.h"

namespace dlsim::txt::heap {

struct VersionRange {
  uint32_t min = 0, max = 0;
  bool contains(uint32_t v) const { return v >= min && v <= max; }
};

enum class TpmFamily { kTpm12, kTpm20 };

// OsSinitData / MLE header capability bits (SDG, MLE header and ACM
// information table share them; spec §4).
namespace caps {
inline constexpr uint32_t kRlpWakeGetsec = 1u << 0;
inline constexpr uint32_t kRlpWakeMonitor = 1u << 1;
inline constexpr uint32_t kEcxPageTable = 1u << 2;
inline constexpr uint32_t kStm = 1u << 3;
inline constexpr uint32_t kPcrMapNoLegacy = 1u << 4;
inline constexpr uint32_t kPcrMapDetailsAuthorities = 1u << 5;
inline constexpr uint32_t kPlatformTypeMask = 3u << 6;
inline constexpr uint32_t kMaxPhyAddr = 1u << 8;
inline constexpr uint32_t kTcgEventLog = 1u << 9;
inline constexpr uint32_t kCbnt = 1u << 10;
inline constexpr uint32_t kTpr = 1u << 14;
}  // namespace caps

struct SinitHeapPolicy {
  VersionRange biosData{2, 6};
  VersionRange osSinitData{4, 7};  // max: the ACM information table's OsSinitDataVer
  uint32_t sinitCapabilities = caps::kRlpWakeGetsec | caps::kRlpWakeMonitor | caps::kTcgEventLog;
  TpmFamily tpm = TpmFamily::kTpm20;
  // The platform's logical processors (all that join SENTER's rendezvous);
  // 0: BiosData.NumLogicalProcs is not compared with it.
  uint32_t logicalProcessors = 0;
  uint64_t heapBase = 0;  // HEAP.BASE: places the tables in physical memory
  // Whether [base, base+size) is RAM; unset: the event log's place is not checked.
  std::function<bool(uint64_t base, uint64_t size)> isRam;
};

// PMR granularity: 2 MiB (MLE developer's guide Table 29, OS to SINIT data,
// as TrenchBoot GRUB's GRUB_TXT_PMR_ALIGN cites it; tboot rounds to 2 MiB).
inline constexpr uint64_t kPmrAlignment = 2ull << 20;

// Every broken rule, in the order SINIT would meet them (tables in heap
// order, fields in table order). Layout failures from the parse come first.
std::vector<HeapFailure> validateHeapForSinit(const HeapParse& parsed, const SinitHeapPolicy& policy);

// Whether [base, base+size) lies inside the low or the high PMR.
bool pmrCovers(const OsSinitData& o, uint64_t base, uint64_t size);

}  // namespace dlsim::txt::heap
