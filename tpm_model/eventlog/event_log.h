// In-memory form of a TCG event log, and building and serializing one.
//
// Two formats (TCG PC Client Platform Firmware Profile; spec/tpm.md §7):
// - SHA-1 (TPM 1.2 / tboot SHA-1 logs): a sequence of TCG_PCR_EVENT
//   {u32 pcrIndex, u32 eventType, 20-byte SHA-1 digest, u32 eventSize, data}.
// - Crypto-agile (TPM 2.0): one TCG_PCR_EVENT of type EV_NO_ACTION whose data
//   is the TCG_EfiSpecIDEvent ("Spec ID Event03"), then TCG_PCR_EVENT2
//   {u32 pcrIndex, u32 eventType, u32 count, {u16 alg, digest}[count],
//   u32 eventSize, data}.
// - Legacy per-bank (TXT EVENT_LOG_POINTER2, one log per PCR bank; layout in
//   legacy_bank_log.h): TCG_PCR_EVENT-like records whose digest is one digest
//   of the log's bank, the non-SHA-1 ones after a TCG_LOG_DESCRIPTOR header.
// All fields little-endian.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim::tpm::evlog {

enum class LogFormat { kSha1, kCryptoAgile, kLegacyBank };

struct AlgorithmSize {
  uint16_t algId = 0;
  uint16_t digestSize = 0;
  bool operator==(const AlgorithmSize&) const = default;
};

// TCG_EfiSpecIDEvent, the data of a crypto-agile log's first event.
struct SpecIdEvent {
  static constexpr char kSignature[16] = "Spec ID Event03";  // 15 chars + NUL
  uint32_t platformClass = 0;  // 0 client, 1 server
  uint8_t specVersionMinor = 0;
  uint8_t specVersionMajor = 2;
  uint8_t specErrata = 0;
  uint8_t uintnSize = 2;  // 2 = UINTN is 64 bits
  std::vector<AlgorithmSize> algorithms;
  std::vector<uint8_t> vendorInfo;  // at most 255 bytes
  bool operator==(const SpecIdEvent&) const = default;

  // Digest size the header declares for `alg`, or 0 if not listed.
  uint16_t digestSizeOf(uint16_t alg) const;
};

struct EventDigest {
  uint16_t alg = 0;
  std::vector<uint8_t> digest;
  bool operator==(const EventDigest&) const = default;
};

struct LogEvent {
  uint32_t pcrIndex = 0;
  uint32_t eventType = 0;
  std::vector<EventDigest> digests;  // SHA-1 format: exactly one SHA-1 digest
  std::vector<uint8_t> data;
  uint64_t offset = 0;  // where a parser found it (0 for built events)
  // Equality ignores `offset`.
  bool operator==(const LogEvent& o) const {
    return pcrIndex == o.pcrIndex && eventType == o.eventType && digests == o.digests && data == o.data;
  }
  // nullptr if the event carries no digest for `alg`.
  const EventDigest* digestFor(uint16_t alg) const;
};

struct EventLog {
  LogFormat format = LogFormat::kCryptoAgile;
  // Crypto-agile only: the parsed header. events[0] is then the header's
  // TCG_PCR_EVENT (type EV_NO_ACTION, data = encodeSpecIdEvent(specId)).
  SpecIdEvent specId;
  // Legacy per-bank only: the bank (TPM_ALG_ID) every record's digest is of,
  // and whether events[0] is the TCG_LOG_DESCRIPTOR header record (a
  // TCG_PCR_EVENT with a 20-byte digest; descriptor in legacy_bank_log.h).
  uint16_t legacyBank = 0;
  bool legacyHeader = false;
  std::vector<LogEvent> events;

  // The banks the log carries digests for: the Spec ID algorithms, the
  // legacy log's bank, or SHA-1.
  std::vector<uint16_t> banks() const;
  // Whether events[0] is a header record rather than a measurement.
  bool hasHeaderEvent() const { return format == LogFormat::kCryptoAgile || (format == LogFormat::kLegacyBank && legacyHeader); }
  // Index of the first measurement event (1 after a header, else 0).
  size_t firstMeasurementIndex() const { return hasHeaderEvent() ? 1 : 0; }
};

// Encodes a TCG_EfiSpecIDEvent (the header event's data).
std::vector<uint8_t> encodeSpecIdEvent(const SpecIdEvent& spec);

// A crypto-agile log holding only its Spec ID header, for `algs` (each an
// implemented hash: sizes from tpm_alg.h). Throws InternalError otherwise.
EventLog makeCryptoAgileLog(const std::vector<uint16_t>& algs, std::vector<uint8_t> vendorInfo = {});
// An empty SHA-1-format log.
EventLog makeSha1Log();

// An event whose digest in every bank of `log` is that bank's hash of `data`.
LogEvent measuredEvent(const EventLog& log, uint32_t pcr, uint32_t type, std::vector<uint8_t> data);
// Appends measuredEvent(...) and returns a reference to it.
LogEvent& appendMeasured(EventLog& log, uint32_t pcr, uint32_t type, std::vector<uint8_t> data);

// Encodes one event in the log's format (TCG_PCR_EVENT2 for crypto-agile
// measurement events, TCG_PCR_EVENT for a header and SHA-1 logs, a record
// with the bank's digest for legacy per-bank measurement events).
// Throws InternalError when a digest does not fit the format (wrong size,
// alg not in the header, SHA-1 event without exactly one SHA-1 digest).
std::vector<uint8_t> encodeEvent(const EventLog& log, const LogEvent& event, bool headerEvent);
// The whole log as bytes.
std::vector<uint8_t> serializeEventLog(const EventLog& log);

}  // namespace dlsim::tpm::evlog
