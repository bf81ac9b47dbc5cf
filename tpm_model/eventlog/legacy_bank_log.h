// The legacy per-bank TPM 2.0 event logs of Intel TXT: where OsSinitData's
// EVENT_LOG_POINTER2 element (type 7) points, SINIT keeps one log per PCR
// bank (shared/spec/intel-txt.md §3, §7; docs/txt-measurements.md). Each is a
// list of TPM 1.2-style records carrying that bank's digest (little-endian):
//   u32 PCRIndex; u32 EventType; u8 Digest[bank's size]; u32 EventDataSize; data
// A log of a bank other than SHA-1 starts with a header record, a TPM 1.2
// TCG_PCR_EVENT (PCR 0, EV_NO_ACTION, 20-byte digest) whose 28 data bytes are
// the TCG_LOG_DESCRIPTOR {char Signature[16] "FRMT ID EVENT00\0"; u32
// Revision; u32 DigestAlgID (1 SHA-1, 2 SHA-256, 3 SHA-384, 4 SHA-512, 5 SM3);
// u32 DigestSize}. It names the bank and is never extended (tboot's reader
// skips it). The SHA-1 bank's log has no header: it is a plain SHA-1 log.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim::tpm::evlog {

inline constexpr uint32_t kLegacyDescriptorSize = 28;
inline constexpr size_t kLegacyHeaderRecordSize = 32 + kLegacyDescriptorSize;

struct LegacyLogDescriptor {
  uint32_t revision = 0;
  uint32_t digestAlgId = 0;
  uint32_t digestSize = 0;
};

// Digest size of a bank a legacy log can be of (SHA-1, SHA-256, SHA-384,
// SHA-512, SM3-256), nullopt for any other TPM_ALG_ID.
std::optional<size_t> legacyBankDigestSize(uint16_t tpmAlg);
// The TPM_ALG_ID a TCG_LOG_DESCRIPTOR.DigestAlgID stands for (nullopt: none).
std::optional<uint16_t> legacyBankFromDigestAlgId(uint32_t digestAlgId);

// Whether the bytes start with the header record: EventType EV_NO_ACTION,
// EventDataSize 28 and the "FRMT ID EVENT00\0" signature.
bool looksLikeLegacyBankLog(std::span<const uint8_t> bytes);
// The descriptor in a header record's data (nullopt: not 28 bytes or not
// the signature).
std::optional<LegacyLogDescriptor> decodeLegacyDescriptor(std::span<const uint8_t> data);

// An empty legacy log of `bank` (one legacyBankDigestSize knows; else
// InternalError), with the header record SINIT writes for it when
// `withHeader` (revision 1, the bank's DigestAlgID and size).
EventLog makeLegacyBankLog(uint16_t bank, bool withHeader);

// Parses one bank's legacy log. `bank` (a TPM_ALG_ID legacyBankDigestSize
// knows) sets the digest size of the records and overrides the header's
// DigestAlgID; without it the header record must be there and name a known
// algorithm with its digest size. The header, when present, is kept as
// events[0] (EventLog::legacyHeader). A tail of all-zero bytes is unused
// buffer space. InputError names the source, offset and field.
EventLog parseLegacyBankLog(std::span<const uint8_t> bytes, std::optional<uint16_t> bank, const std::string& source,
                            uint64_t baseOffset = 0);

}  // namespace dlsim::tpm::evlog
