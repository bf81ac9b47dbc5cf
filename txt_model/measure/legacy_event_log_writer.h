// The legacy TPM 2.0 event logs SINIT writes where OsSinitData's
// EVENT_LOG_POINTER2 element (type 7) points: one log per PCR bank, each
// described by {alg, reserved, phys_addr, size, pcr_events_offset,
// next_event_offset} (shared/spec/intel-txt.md §3, §7; tboot's
// heap_event_log_descr_t). Each log is a list of TPM 1.2-style records with
// that bank's digest (little-endian):
//   u32 PCRIndex; u32 EventType; u8 Digest[bank's size]; u32 EventDataSize; data
// A log of a bank other than SHA-1 starts with a TPM 1.2 TCG_PCR_EVENT (PCR 0,
// EV_NO_ACTION, 20 zero bytes) whose data is the TCG_LOG_DESCRIPTOR
// {char Signature[16] "FRMT ID EVENT00\0"; u32 Revision 1; u32 DigestAlgID
// (1 SHA-1, 2 SHA-256, 3 SHA-384, 4 SHA-512, 5 SM3); u32 DigestSize}; never
// extended (Intel's TXT sample code and tboot's reader of these logs, which
// skips this record in every non-SHA-1 log). docs/txt-measurements.md says
// who writes the header and when.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dlsim::txt::measure {

inline constexpr uint32_t kTcgLogDescriptorRevision = 1;
inline constexpr uint32_t kTcgLogDescriptorSize = 28;  // signature 16 + 3 u32

// TCG_LOG_DESCRIPTOR.DigestAlgID for a TPM_ALG_ID (nullopt: none defined).
std::optional<uint32_t> legacyDigestAlgId(uint16_t tpmAlg);

// Whether a bank's log begins with the TCG_LOG_DESCRIPTOR record (all but SHA-1).
bool legacyLogHasHeader(uint16_t tpmAlg);

// The header record of `tpmAlg`'s log (60 bytes).
std::vector<uint8_t> legacyLogHeader(uint16_t tpmAlg, uint16_t digestSize);

// One record: PCR, type, this bank's digest, data.
std::vector<uint8_t> legacyEvent(uint32_t pcr, uint32_t eventType, std::span<const uint8_t> digest,
                                 std::span<const uint8_t> data);

}  // namespace dlsim::txt::measure
