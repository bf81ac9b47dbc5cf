// What SINIT refuses in the TXT heap, one named rule each, with the
// TXT.ERRORCODE value the SINIT model writes when a rule is broken.
//
// ERRORCODE for an ACM error (tboot include/txt/errorcode.h; spec §8): bit 31
// valid, bit 30 software, bit 15 source (0 = ACM), [3:0] ACM type (1 =
// SINIT), [9:4] class (progress), [14:10] major, [27:16] minor. The class
// and major values SINIT uses for each heap check are in Intel's per-ACM
// error tables, which no public source we could read gives (tboot's
// txt-parse_err only decodes the fields). Every rule here therefore carries
// a placeholder: class kPlaceholderHeapClass with the rule's own major,
// marked documented = false so reports say so. Replace a value here once a
// public source gives the real one.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::txt {

// An ACM (SINIT) error as TXT.ERRORCODE encodes it.
struct SinitErrorCode {
  uint8_t progressClass = 0;  // 6 bits
  uint8_t major = 0;          // 5 bits
  uint16_t minor = 0;         // 12 bits
  bool documented = false;    // true only when a public source gives the value
  uint32_t errorCode() const {
    return 0xC0000000u | (uint32_t(minor & 0xFFF) << 16) | (uint32_t(major & 0x1F) << 10) |
           (uint32_t(progressClass & 0x3F) << 4) | 0x1u;
  }
};

// Placeholder classes (not Intel's): heap checks and MLE checks.
inline constexpr uint8_t kPlaceholderHeapClass = 0x3E;
inline constexpr uint8_t kPlaceholderMleClass = 0x3F;

namespace heap {

enum class HeapRule {
  // layout (found while parsing)
  kTableBeyondHeap,          // a table's size field or body runs past HEAP.SIZE
  kTableSizeTooSmall,        // size smaller than the size field + the version's fixed part
  kElementTruncated,         // element header past the table, size < 8 or past the table
  kElementListNoEnd,         // no END element before the table ends
  kElementMalformed,         // a known element whose size does not match its contents
  kSinitMleTableOutside,     // MDR table or DMAR copy outside SinitMleData (parser of SINIT's output)
  // checks SINIT makes
  kBiosDataVersionUnsupported,
  kBiosDataNoProcessors,
  kOsSinitDataVersionUnsupported,
  kOsSinitDataSizeMismatch,  // v4/v5 size not the fixed size; v6+ without elements
  kMleSizeZero,
  kMleHeaderOutsideMle,
  kMlePageTableUnaligned,
  kPmrUnaligned,
  kPmrRangeOverflow,
  kPmrLowAbove4G,
  kPmrOverlap,
  kNoRlpWakeMethod,
  kCapabilityUnsupported,
  kEventLogElementMissing,
  kEventLogPointerInvalid,
  kEventLogOutsideRam,
  kEventLogOverlapsHeapTables,
  kAcmAddressInvalid,
  kBiosDataProcessorCountMismatch,  // NumLogicalProcs is not the platform's count (added last: codes stay)
};

struct HeapRuleInfo {
  const char* name;       // stable id, e.g. "heap.os_sinit_data.version_unsupported"
  const char* reference;  // where the rule comes from
  bool sourced;           // false: a dlsim choice where no public source says what SINIT does
  SinitErrorCode code;
};

const HeapRuleInfo& heapRuleInfo(HeapRule rule);
// Every rule, in declaration order (tests check names and codes are distinct).
const std::vector<HeapRule>& allHeapRules();

struct HeapFailure {
  HeapRule rule;
  std::string detail;      // what was found, with values
  uint64_t heapOffset = 0; // where in the heap (offset of the field or element)
  const char* name() const { return heapRuleInfo(rule).name; }
};

}  // namespace heap
}  // namespace dlsim::txt
