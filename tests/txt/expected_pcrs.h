// An independent calculator of the PCR 17 and 18 values an Intel TXT dynamic
// launch leaves, from the formulas of shared/spec/intel-txt.md section 7 and
// the definitions docs/txt-measurements.md writes down for what section 7
// marks UNVERIFIED. It is the second implementation the launch scenarios'
// expected PCRs are checked against: it uses Botan and the C++ library only
// and never includes or links txt_model/ or tpm_model/ code, so a mistake in
// the simulator's measurement code cannot hide in both.
#pragma once
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace txtcheck {

using Bytes = std::vector<uint8_t>;

// Bad input to the calculator (a file too short, an ACM header whose sizes
// do not fit the file...): the program prints it and exits 2.
struct CalcError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Bank { kSha1, kSha256 };
const char* bankName(Bank bank);  // "sha1", "sha256" (the scenario format's bank names)
size_t digestSize(Bank bank);

Bytes hashOf(Bank bank, std::span<const uint8_t> data);
// TPM2_PCR_Extend: H(old || digest); `digest` must be the bank's size.
Bytes extend(Bank bank, std::span<const uint8_t> old, std::span<const uint8_t> digest);
std::string toHex(std::span<const uint8_t> bytes);
Bytes le32(uint32_t value);
Bytes le64(uint64_t value);

// The bytes GETSEC[SENTER] hashes as the ACM's digest (MLE DG appendix A.1.2,
// spec section 5): header bytes 0x00-0x7F, then the user area from
// (HeaderLen + ScratchSize) * 4 up to Size * 4. HeaderLen (0x04), Size
// (0x18) and ScratchSize (0x7C) are dword counts. Throws CalcError when the
// sizes do not fit `module` or leave no user area.
Bytes acmDigestInput(std::span<const uint8_t> module);

// The ACM's RSA public key modulus as stored: KeySize (0x78) * 4 bytes at
// 0x80 (spec section 5). Throws CalcError when it does not fit.
Bytes acmPublicKeyModulus(std::span<const uint8_t> module);

// PCR mapping SINIT uses, by TPM family. TPM 2.0: details/authorities
// whatever the capabilities say (tboot 1.10.x txt/txt.c init_os_sinit_data
// clears bits 4 and 5 on TPM 2.0; its comment: the mapping selection must be
// zero in TPM 2.0 mode because D/A is the only mapping TPM 2.0 supports).
// TPM 1.2: OsSinitData.capabilities bit 5 (details/authorities) or bit 4 (no
// legacy) selects details/authorities, neither the legacy mapping (spec
// section 4; docs/txt-measurements.md).
enum class Mapping { kDetailsAuthorities, kLegacy };
enum class TpmFamily { kTpm12, kTpm20 };
Mapping mappingFor(uint32_t osSinitCaps, TpmFamily family);

// Everything the launch measures, as bytes and numbers the test reads from
// the scenario's own files (never from a dlsim run).
struct LaunchInputs {
  Bytes acm;                      // the SINIT ACM file as loaded (Size*4 bytes used)
  uint32_t senterEdx = 0;         // EDX of GETSEC[SENTER]
  Bank acmDigestBank = Bank::kSha256;  // the hash of the ACM digest sent to HASH_DATA
  Bytes mle;                      // the MLE bytes in linear order (MLESize bytes)
  uint32_t osSinitCaps = 0;       // OsSinitData.Capabilities as the MLE wrote them
  Mapping mapping = Mapping::kDetailsAuthorities;
};

// ---- reading the launch's inputs out of the scenario's files ----

// Offset of the first MLE header (its UUID 5A AC 82 90 6F 47 A7 74 0F 5C 55
// A2 CB 51 B6 42, spec section 4) in `image`, or -1.
long findMleHeader(std::span<const uint8_t> image);

// The MLE bytes SINIT measures when the header at `headerOffset` in `image`
// sits at linear `headerBase` of the MLE (OsSinitData.MLEHeaderBase): MLESize
// = MleEndOffset (0x24) - MleStartOffset (0x20) bytes from image offset
// headerOffset - headerBase (spec section 4). Throws CalcError when they do
// not lie in `image`.
Bytes mleFromImage(std::span<const uint8_t> image, size_t headerOffset, uint64_t headerBase);

// The MLE header's capabilities (0x28).
uint32_t mleHeaderCapabilities(std::span<const uint8_t> image, size_t headerOffset);

// Whether `bytes` start like a chipset ACM (ModuleType 2, ModuleVendor 0x8086).
bool looksLikeAcm(std::span<const uint8_t> bytes);

// The capabilities of the ACM's information table, found at (HeaderLen +
// ScratchSize) * 4 with its UUID (spec section 5); throws CalcError without.
uint32_t acmInfoCapabilities(std::span<const uint8_t> module);

// OsSinitData.capabilities as tboot picks them (spec section 4): the MLE
// header's without bits 0, 1, 5 and 9; then RLP wake-up by MONITOR if the
// SINIT offers it, else by GETSEC; the details/authorities mapping (bit 5)
// and the TCG event-log format (bit 9) where the SINIT offers them; ECX
// page-table pointer (bit 2) only where the SINIT offers it.
uint32_t tbootOsSinitCapabilities(uint32_t mleHeaderCaps, uint32_t sinitCaps);

// One extend SINIT (or the processor, for HASH_START) makes: PCR index,
// the TXT event type name, the bytes whose hash is extended.
struct Measurement {
  unsigned pcr = 0;
  std::string name;
  Bytes data;
};

// The HASH_DATA bytes: ACM digest || EDX (LE32).
Bytes hashStartData(const LaunchInputs& in);

// SINIT's extends after Hash_End, in order, for in.mapping
// (docs/txt-measurements.md "The events and their order").
std::vector<Measurement> sinitMeasurements(const LaunchInputs& in);

struct PcrPair {
  Bytes pcr17;
  Bytes pcr18;
};

// PCR 17 after Hash_End: H(0^n || H(hashStartData)); PCR 18 after Hash_End: 0^n.
PcrPair afterHashEnd(Bank bank, const LaunchInputs& in);
// The values after all of SINIT's extends.
PcrPair launchPcrs(Bank bank, const LaunchInputs& in);

}  // namespace txtcheck
