// TXT.ERRORCODE decoded for the report (shared/spec/intel-txt.md §8; field
// layout as chipsec's txt.xml and tboot's include/txt/errorcode.h give it):
// bit 31 valid, bit 30 software (0: the processor wrote it).
//  - processor: [29:0] the TXT shutdown type (5 BadACMMType ... 15);
//  - software, bit 15 = 0: an ACM: type [3:0] (0 BIOS, 1 SINIT), class
//    (progress) [9:4], major [14:10], minor [27:16]; class 0x0D with major
//    0x0A carries a TPM error in [24:16];
//  - software, bit 15 = 1: the MLE's own code [14:0] (tboot 0xC0008001,
//    Linux Secure Launch SL_ERROR_* 0xC0008001-0xC000801E).
// 0xC0000001 and 0xC0000009 are success values.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace dlsim::txt {

enum class TxtErrorSource { None, Processor, Acm, Mle };

struct TxtErrorDecoding {
  uint32_t raw = 0;
  bool valid = false;
  bool success = false;
  TxtErrorSource source = TxtErrorSource::None;
  uint32_t processorType = 0;  // processor errors
  uint32_t acmType = 0, acmClass = 0, acmMajor = 0, acmMinor = 0;  // ACM errors
  std::optional<uint32_t> tpmError;  // class 0x0D, major 0x0A
  uint32_t mleCode = 0;              // MLE errors: [14:0]
  std::string name;     // the shutdown type's or SL_ERROR name, "" when none is known
  std::string summary;  // one line, e.g. "SINIT ACM error: class 0x1, major 0xf, minor 0x0"
};

TxtErrorDecoding decodeTxtErrorCode(uint32_t code);

// "source" as the report names it: "none", "processor", "acm", "mle".
const char* txtErrorSourceName(TxtErrorSource s);

}  // namespace dlsim::txt
