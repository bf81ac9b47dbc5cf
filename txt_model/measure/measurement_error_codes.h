// TXT.ERRORCODE values for a failed SINIT measurement step (ACM error
// layout, shared/spec/intel-txt.md §8 and txt_model/heap/heap_rules.h).
//  - TPM error response: class (progress) 0x0D, major 0x0A, the TPM's
//    response code in [24:16] (documented layout: tboot errorcode.h);
//  - TPM that never answers, event log without room, MLE bytes unreadable:
//    no public source gives SINIT's codes, so these are dlsim's own,
//    class 0x0D with majors 0x1D-0x1F, marked undocumented
//    (docs/txt-measurements.md).
#pragma once
#include <cstdint>

#include "txt_model/heap/heap_rules.h"

namespace dlsim::txt::measure {

inline constexpr uint8_t kTpmProgressClass = 0x0D;

inline SinitErrorCode tpmErrorCode(uint32_t rc) {
  return {kTpmProgressClass, 0x0A, uint16_t(rc & 0x1FF), true};
}
inline constexpr SinitErrorCode kMleUnreadableCode{kTpmProgressClass, 0x1D, 0, false};
inline constexpr SinitErrorCode kTpmNoAnswerCode{kTpmProgressClass, 0x1E, 0, false};
inline constexpr SinitErrorCode kEventLogFullCode{kTpmProgressClass, 0x1F, 0, false};

}  // namespace dlsim::txt::measure
