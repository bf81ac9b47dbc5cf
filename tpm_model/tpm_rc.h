// TPM 2.0 response codes (TPM_RC) and the helpers that attach a handle,
// session or parameter number to a format-one code. Values from TPM 2.0
// Library Part 2 (TPM_RC table); kept in one place so every command file
// reports errors the same way.
#pragma once
#include <cstdint>
#include <stdexcept>

namespace dlsim::tpm {

using Rc = uint32_t;

namespace rc {
inline constexpr Rc kSuccess = 0x000;
inline constexpr Rc kBadTag = 0x01E;

inline constexpr Rc kVer1 = 0x100;
inline constexpr Rc kInitialize = kVer1 + 0x000;
inline constexpr Rc kFailure = kVer1 + 0x001;
inline constexpr Rc kSequence = kVer1 + 0x003;
inline constexpr Rc kDisabled = kVer1 + 0x020;
inline constexpr Rc kExclusive = kVer1 + 0x021;
inline constexpr Rc kAuthType = kVer1 + 0x024;
inline constexpr Rc kAuthMissing = kVer1 + 0x025;
inline constexpr Rc kPolicy = kVer1 + 0x026;
inline constexpr Rc kPcr = kVer1 + 0x027;
inline constexpr Rc kPcrChanged = kVer1 + 0x028;
inline constexpr Rc kUpgrade = kVer1 + 0x02D;
inline constexpr Rc kTooManyContexts = kVer1 + 0x02E;
inline constexpr Rc kAuthUnavailable = kVer1 + 0x02F;
inline constexpr Rc kReboot = kVer1 + 0x030;
inline constexpr Rc kUnbalanced = kVer1 + 0x031;
inline constexpr Rc kCommandSize = kVer1 + 0x042;
inline constexpr Rc kCommandCode = kVer1 + 0x043;
inline constexpr Rc kAuthsize = kVer1 + 0x044;
inline constexpr Rc kAuthContext = kVer1 + 0x045;
inline constexpr Rc kNvRange = kVer1 + 0x046;
inline constexpr Rc kNvSize = kVer1 + 0x047;
inline constexpr Rc kNvLocked = kVer1 + 0x048;
inline constexpr Rc kNvAuthorization = kVer1 + 0x049;
inline constexpr Rc kNvUninitialized = kVer1 + 0x04A;
inline constexpr Rc kNvSpace = kVer1 + 0x04B;
inline constexpr Rc kNvDefined = kVer1 + 0x04C;
inline constexpr Rc kBadContext = kVer1 + 0x050;
inline constexpr Rc kCpHash = kVer1 + 0x051;
inline constexpr Rc kParent = kVer1 + 0x052;
inline constexpr Rc kNeedsTest = kVer1 + 0x053;
inline constexpr Rc kNoResult = kVer1 + 0x054;
inline constexpr Rc kSensitive = kVer1 + 0x055;

inline constexpr Rc kFmt1 = 0x080;
inline constexpr Rc kAsymmetric = kFmt1 + 0x001;
inline constexpr Rc kAttributes = kFmt1 + 0x002;
inline constexpr Rc kHash = kFmt1 + 0x003;
inline constexpr Rc kValue = kFmt1 + 0x004;
inline constexpr Rc kHierarchy = kFmt1 + 0x005;
inline constexpr Rc kKeySize = kFmt1 + 0x007;
inline constexpr Rc kMgf = kFmt1 + 0x008;
inline constexpr Rc kMode = kFmt1 + 0x009;
inline constexpr Rc kType = kFmt1 + 0x00A;
inline constexpr Rc kHandle = kFmt1 + 0x00B;
inline constexpr Rc kKdf = kFmt1 + 0x00C;
inline constexpr Rc kRange = kFmt1 + 0x00D;
inline constexpr Rc kAuthFail = kFmt1 + 0x00E;
inline constexpr Rc kNonce = kFmt1 + 0x00F;
inline constexpr Rc kPp = kFmt1 + 0x010;
inline constexpr Rc kScheme = kFmt1 + 0x012;
inline constexpr Rc kSize = kFmt1 + 0x015;
inline constexpr Rc kSymmetric = kFmt1 + 0x016;
inline constexpr Rc kTag = kFmt1 + 0x017;
inline constexpr Rc kSelector = kFmt1 + 0x018;
inline constexpr Rc kInsufficient = kFmt1 + 0x01A;
inline constexpr Rc kSignature = kFmt1 + 0x01B;
inline constexpr Rc kKey = kFmt1 + 0x01C;
inline constexpr Rc kPolicyFail = kFmt1 + 0x01D;
inline constexpr Rc kIntegrity = kFmt1 + 0x01F;
inline constexpr Rc kTicket = kFmt1 + 0x020;
inline constexpr Rc kReservedBits = kFmt1 + 0x021;
inline constexpr Rc kBadAuth = kFmt1 + 0x022;
inline constexpr Rc kExpired = kFmt1 + 0x023;
inline constexpr Rc kPolicyCc = kFmt1 + 0x024;
inline constexpr Rc kBinding = kFmt1 + 0x025;
inline constexpr Rc kCurve = kFmt1 + 0x026;
inline constexpr Rc kEccPoint = kFmt1 + 0x027;

inline constexpr Rc kWarn = 0x900;
inline constexpr Rc kContextGap = kWarn + 0x001;
inline constexpr Rc kObjectMemory = kWarn + 0x002;
inline constexpr Rc kSessionMemory = kWarn + 0x003;
inline constexpr Rc kMemory = kWarn + 0x004;
inline constexpr Rc kSessionHandles = kWarn + 0x005;
inline constexpr Rc kObjectHandles = kWarn + 0x006;
inline constexpr Rc kLocality = kWarn + 0x007;
inline constexpr Rc kYielded = kWarn + 0x008;
inline constexpr Rc kCanceled = kWarn + 0x009;
inline constexpr Rc kTesting = kWarn + 0x00A;
inline constexpr Rc kReferenceH0 = kWarn + 0x010;
inline constexpr Rc kNvRate = kWarn + 0x020;
inline constexpr Rc kLockout = kWarn + 0x021;
inline constexpr Rc kRetry = kWarn + 0x022;
inline constexpr Rc kNvUnavailable = kWarn + 0x023;

// Position fields of a format-one code (Part 2, TPM_RC_H/P/S/1..F).
inline constexpr Rc kH = 0x000;
inline constexpr Rc kP = 0x040;
inline constexpr Rc kS = 0x800;
inline constexpr Rc kN1 = 0x100;
}  // namespace rc

// Format-one code `base` attributed to handle n (1-based).
constexpr Rc rcHandle(Rc base, unsigned n) { return base + rc::kH + n * rc::kN1; }
// Format-one code `base` attributed to parameter n (1-based).
constexpr Rc rcParam(Rc base, unsigned n) { return base + rc::kP + n * rc::kN1; }
// Format-one code `base` attributed to session n (1-based).
constexpr Rc rcSession(Rc base, unsigned n) { return base + rc::kS + n * rc::kN1; }

// A command ends with a non-success response code. Command handlers throw it;
// the dispatcher turns it into the 10-byte error response.
struct TpmError : std::exception {
  explicit TpmError(Rc c) : code(c) {}
  const char* what() const noexcept override { return "TPM error response"; }
  Rc code;
};

}  // namespace dlsim::tpm
