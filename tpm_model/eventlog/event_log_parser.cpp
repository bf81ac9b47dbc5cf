// Bounds-checked parsing of SHA-1 and crypto-agile TCG event logs.
#include "tpm_model/eventlog/event_log_parser.h"

#include <algorithm>
#include <cstring>

#include "sim/hex.h"
#include "tpm_model/eventlog/event_types.h"
#include "sim/le_reader.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm::evlog {
namespace {

constexpr size_t kSha1EventHeader = 32;  // pcr, type, 20-byte digest, size

bool restIsZero(std::span<const uint8_t> bytes, size_t from) {
  return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end(), [](uint8_t b) { return b == 0; });
}

std::vector<uint8_t> copy(std::span<const uint8_t> s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// TCG_PCR_EVENT (the SHA-1 format, also the crypto-agile header).
LogEvent readSha1Event(LeReader& r) { return readTpm12StyleEvent(r, alg::kSha1, 20); }

// TCG_PCR_EVENT2 with digest sizes from the Spec ID header.
// An event's eventSize and the bytes it counts (the tail of every record
// format here).
std::vector<uint8_t> readEventData(LeReader& r) {
  uint64_t sizeAt = r.offset();
  uint32_t size = r.u32("eventSize");
  if (size > r.remaining())
    r.fail(sizeAt, "eventSize",
           std::to_string(size) + " runs past the end (" + std::to_string(r.remaining()) + " bytes left)");
  return copy(r.bytes(size, "event data"));
}

LogEvent readEvent2(LeReader& r, const SpecIdEvent& spec) {
  LogEvent e;
  e.offset = r.offset();
  e.pcrIndex = r.u32("pcrIndex");
  e.eventType = r.u32("eventType");
  uint64_t countAt = r.offset();
  uint32_t count = r.u32("digests.count");
  if (count > spec.algorithms.size())
    r.fail(countAt, "digests.count",
           std::to_string(count) + " exceeds the Spec ID header's " + std::to_string(spec.algorithms.size()) +
               " algorithms");
  for (uint32_t i = 0; i < count; ++i) {
    std::string field = "digests[" + std::to_string(i) + "]";
    uint64_t algAt = r.offset();
    uint16_t a = r.u16((field + ".hashAlg").c_str());
    uint16_t size = spec.digestSizeOf(a);
    if (size == 0) r.fail(algAt, field + ".hashAlg", "algorithm " + dlsim::hex(a) + " is not in the Spec ID header");
    if (e.digestFor(a)) r.fail(algAt, field + ".hashAlg", "algorithm " + hashAlgName(a) + " appears twice");
    e.digests.push_back({a, copy(r.bytes(size, (field + ".digest").c_str()))});
  }
  e.data = readEventData(r);
  return e;
}

EventLog parseSha1(std::span<const uint8_t> bytes, const std::string& source, uint64_t base) {
  EventLog log = makeSha1Log();
  LeReader r(bytes, source, base);
  while (r.remaining() > 0 && !restIsZero(bytes, r.position())) {
    r.setContext("event " + std::to_string(log.events.size()));
    log.events.push_back(readSha1Event(r));
  }
  return log;
}

EventLog parseCryptoAgile(std::span<const uint8_t> bytes, const std::string& source, uint64_t base) {
  EventLog log;
  log.format = LogFormat::kCryptoAgile;
  LeReader r(bytes, source, base);
  r.setContext("event 0 (Spec ID header)");
  LogEvent header = readSha1Event(r);
  if (header.eventType != ev::kNoAction)
    r.fail(header.offset + 4, "eventType",
           eventTypeLabel(header.eventType) + ", expected EV_NO_ACTION (3) for the Spec ID header");
  log.specId = parseSpecIdEvent(header.data, source, header.offset + kSha1EventHeader);
  log.events.push_back(std::move(header));
  while (r.remaining() > 0 && !restIsZero(bytes, r.position())) {
    r.setContext("event " + std::to_string(log.events.size()));
    log.events.push_back(readEvent2(r, log.specId));
  }
  return log;
}

}  // namespace

LogEvent readTpm12StyleEvent(LeReader& r, uint16_t alg, size_t digestSize) {
  LogEvent e;
  e.offset = r.offset();
  e.pcrIndex = r.u32("pcrIndex");
  e.eventType = r.u32("eventType");
  e.digests.push_back({alg, copy(r.bytes(digestSize, "digest"))});
  e.data = readEventData(r);
  return e;
}

LogFormat detectLogFormat(std::span<const uint8_t> bytes) {
  if (bytes.size() >= kSha1EventHeader + 16 && bytes[4] == ev::kNoAction && bytes[5] == 0 && bytes[6] == 0 &&
      bytes[7] == 0 && std::memcmp(bytes.data() + kSha1EventHeader, SpecIdEvent::kSignature, 16) == 0)
    return LogFormat::kCryptoAgile;
  return LogFormat::kSha1;
}

SpecIdEvent parseSpecIdEvent(std::span<const uint8_t> data, const std::string& source, uint64_t base) {
  LeReader r(data, source, base);
  r.setContext("Spec ID");
  SpecIdEvent spec;
  auto sig = r.bytes(16, "signature");
  if (std::memcmp(sig.data(), SpecIdEvent::kSignature, 16) != 0)
    r.fail(base, "signature", "not \"Spec ID Event03\\0\" (" + dlsim::hexBytes(sig) + ")");
  spec.platformClass = r.u32("platformClass");
  spec.specVersionMinor = r.u8("specVersionMinor");
  spec.specVersionMajor = r.u8("specVersionMajor");
  spec.specErrata = r.u8("specErrata");
  spec.uintnSize = r.u8("uintnSize");
  uint64_t countAt = r.offset();
  uint32_t n = r.u32("numberOfAlgorithms");
  if (n == 0) r.fail(countAt, "numberOfAlgorithms", "0: a crypto-agile log needs at least one bank");
  if (n > r.remaining() / 4)
    r.fail(countAt, "numberOfAlgorithms",
           std::to_string(n) + " entries need " + std::to_string(uint64_t{n} * 4) + " bytes, " +
               std::to_string(r.remaining()) + " left");
  for (uint32_t i = 0; i < n; ++i) {
    std::string field = "digestSizes[" + std::to_string(i) + "]";
    uint64_t at = r.offset();
    AlgorithmSize a;
    a.algId = r.u16((field + ".algorithmId").c_str());
    a.digestSize = r.u16((field + ".digestSize").c_str());
    if (a.digestSize == 0) r.fail(at + 2, field + ".digestSize", "0 for algorithm " + dlsim::hex(a.algId));
    auto known = hashDigestSize(a.algId);
    if (known && *known != a.digestSize)
      r.fail(at + 2, field + ".digestSize",
             std::to_string(a.digestSize) + " for " + hashAlgName(a.algId) + ", which has " +
                 std::to_string(*known) + "-byte digests");
    if (spec.digestSizeOf(a.algId) != 0) r.fail(at, field + ".algorithmId", hashAlgName(a.algId) + " listed twice");
    spec.algorithms.push_back(a);
  }
  uint8_t vendorSize = r.u8("vendorInfoSize");
  spec.vendorInfo = copy(r.bytes(vendorSize, "vendorInfo"));
  if (r.remaining() != 0)
    r.fail(r.offset(), "eventSize",
           std::to_string(r.remaining()) + " bytes beyond the end of the Spec ID structure");
  return spec;
}

EventLog parseEventLog(std::span<const uint8_t> bytes, LogFormat format, const std::string& source,
                       uint64_t baseOffset) {
  if (format == LogFormat::kCryptoAgile) return parseCryptoAgile(bytes, source, baseOffset);
  return parseSha1(bytes, source, baseOffset);
}

}  // namespace dlsim::tpm::evlog
