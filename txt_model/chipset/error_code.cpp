// Decodes TXT.ERRORCODE (see error_code.h).
#include "txt_model/chipset/error_code.h"

#include "sim/hex.h"

namespace dlsim::txt {

namespace {

// TXT shutdown types the processor writes (SDM vol. 2D, GETSEC; spec notes §8).
const char* processorTypeName(uint32_t t) {
  switch (t) {
    case 0: return "LegacyShutdown";
    case 5: return "BadACMMType";
    case 6: return "UnsupportedACM";
    case 7: return "AuthenticateFail";
    case 8: return "BadACMFormat";
    case 9: return "UnexpectedHITM";
    case 10: return "InvalidEvent";
    case 11: return "BadJOINFormat";
    case 12: return "UnrecovMCError";
    case 13: return "VMXAbort";
    case 14: return "ACMCorrupt";
    case 15: return "InvalidVIDBusRatio";
    default: return "";
  }
}

// Linux Secure Launch's MLE codes (include/linux/slaunch.h, the ones every
// series revision names alike); 0xC0008001 is also tboot's generic code.
const char* mleName(uint32_t code) {
  static const char* const kNames[] = {
      nullptr,                       // 0x00
      "SL_ERROR_GENERIC",            // 0x01
      "SL_ERROR_TPM_INIT",           // 0x02
      "SL_ERROR_TPM_INVALID_LOG20",  // 0x03
      "SL_ERROR_TPM_LOGGING_FAILED", // 0x04
      "SL_ERROR_REGION_STRADDLE_4GB",// 0x05
      "SL_ERROR_TPM_EXTEND",         // 0x06
      "SL_ERROR_MTRR_INV_VCNT",      // 0x07
      "SL_ERROR_MTRR_INV_DEF_TYPE",  // 0x08
      "SL_ERROR_MTRR_INV_BASE",      // 0x09
      "SL_ERROR_MTRR_INV_MASK",      // 0x0A
      "SL_ERROR_MSR_INV_MISC_EN",    // 0x0B
      "SL_ERROR_INV_AP_INTERRUPT",   // 0x0C
      "SL_ERROR_INTEGER_OVERFLOW",   // 0x0D
      "SL_ERROR_HEAP_WALK",          // 0x0E
      "SL_ERROR_HEAP_MAP",           // 0x0F
      "SL_ERROR_REGION_ABOVE_4GB",   // 0x10
      "SL_ERROR_HEAP_INVALID_DMAR",  // 0x11
      "SL_ERROR_HEAP_DMAR_SIZE",     // 0x12
      "SL_ERROR_HEAP_DMAR_MAP",      // 0x13
      "SL_ERROR_HI_PMR_BASE",        // 0x14
      "SL_ERROR_HI_PMR_SIZE",        // 0x15
      "SL_ERROR_LO_PMR_BASE",        // 0x16
      "SL_ERROR_LO_PMR_MLE",         // 0x17
      "SL_ERROR_INITRD_TOO_BIG",     // 0x18
      "SL_ERROR_HEAP_ZERO_OFFSET",   // 0x19
      "SL_ERROR_WAKE_BLOCK_TOO_SMALL", // 0x1A
      "SL_ERROR_MLE_BUFFER_OVERLAP", // 0x1B
      "SL_ERROR_BUFFER_BEYOND_PMR",  // 0x1C
      "SL_ERROR_OS_SINIT_BAD_VERSION", // 0x1D
      "SL_ERROR_EVENTLOG_MAP",       // 0x1E
  };
  if (code < sizeof kNames / sizeof kNames[0] && kNames[code]) return kNames[code];
  return "";
}

std::string acmTypeName(uint32_t t) {
  if (t == 0) return "BIOS ACM";
  if (t == 1) return "SINIT ACM";
  return "ACM type " + std::to_string(t);
}

}  // namespace

const char* txtErrorSourceName(TxtErrorSource s) {
  switch (s) {
    case TxtErrorSource::Processor: return "processor";
    case TxtErrorSource::Acm: return "acm";
    case TxtErrorSource::Mle: return "mle";
    default: return "none";
  }
}

TxtErrorDecoding decodeTxtErrorCode(uint32_t code) {
  TxtErrorDecoding d;
  d.raw = code;
  d.valid = (code >> 31) & 1;
  if (code == 0) {
    d.summary = "no error recorded";
    return d;
  }
  const std::string invalid = d.valid ? "" : " (valid bit 31 clear)";
  if (code == 0xC0000001u || code == 0xC0000009u) {
    d.success = true;
    d.source = TxtErrorSource::Acm;
    d.acmType = code & 0xF;
    d.summary = "success";
    return d;
  }
  const bool software = (code >> 30) & 1;
  if (!software) {
    d.source = TxtErrorSource::Processor;
    d.processorType = code & 0x3FFFFFFFu;
    d.name = processorTypeName(d.processorType);
    d.summary = "processor error " + std::to_string(d.processorType) + (d.name.empty() ? "" : ": " + d.name) + invalid;
    return d;
  }
  if ((code >> 15) & 1) {
    d.source = TxtErrorSource::Mle;
    d.mleCode = code & 0x7FFF;
    d.name = mleName(d.mleCode);
    d.summary = "MLE error " + hex(d.mleCode) + (d.name.empty() ? "" : " (" + d.name + ")") + invalid;
    return d;
  }
  d.source = TxtErrorSource::Acm;
  d.acmType = code & 0xF;
  d.acmClass = (code >> 4) & 0x3F;
  d.acmMajor = (code >> 10) & 0x1F;
  d.acmMinor = (code >> 16) & 0xFFF;
  d.summary = acmTypeName(d.acmType) + " error: class " + hex(d.acmClass) + ", major " + hex(d.acmMajor) + ", minor " +
              hex(d.acmMinor);
  if (d.acmClass == 0x0D && d.acmMajor == 0x0A) {
    d.tpmError = (code >> 16) & 0x1FF;
    d.summary += " (TPM error " + hex(*d.tpmError) + ")";
  } else if (d.acmClass == 0x10) {
    d.summary += " (launch control policy)";
  }
  d.summary += invalid;
  return d;
}

}  // namespace dlsim::txt
