// Building and serializing TCG event logs (layouts in event_log.h).
#include "tpm_model/eventlog/event_log.h"

#include "sim/errors.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "tpm_model/eventlog/event_types.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm::evlog {
namespace {

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void putBytes(std::vector<uint8_t>& out, std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }

uint32_t checkedSize(size_t n, const char* what) {
  if (n > 0xFFFFFFFFu) throw InternalError(std::string("eventlog: ") + what + " larger than 4 GiB");
  return static_cast<uint32_t>(n);
}

}  // namespace

uint16_t SpecIdEvent::digestSizeOf(uint16_t alg) const {
  for (const auto& a : algorithms)
    if (a.algId == alg) return a.digestSize;
  return 0;
}

const EventDigest* LogEvent::digestFor(uint16_t alg) const {
  for (const auto& d : digests)
    if (d.alg == alg) return &d;
  return nullptr;
}

std::vector<uint16_t> EventLog::banks() const {
  if (format == LogFormat::kSha1) return {alg::kSha1};
  if (format == LogFormat::kLegacyBank) return {legacyBank};
  std::vector<uint16_t> out;
  for (const auto& a : specId.algorithms) out.push_back(a.algId);
  return out;
}

std::vector<uint8_t> encodeSpecIdEvent(const SpecIdEvent& spec) {
  if (spec.vendorInfo.size() > 0xFF) throw InternalError("eventlog: Spec ID vendorInfo longer than 255 bytes");
  std::vector<uint8_t> out;
  out.reserve(16 + 16 + 4 * spec.algorithms.size() + 1 + spec.vendorInfo.size());
  for (char c : spec.kSignature) out.push_back(static_cast<uint8_t>(c));
  put32(out, spec.platformClass);
  out.push_back(spec.specVersionMinor);
  out.push_back(spec.specVersionMajor);
  out.push_back(spec.specErrata);
  out.push_back(spec.uintnSize);
  put32(out, checkedSize(spec.algorithms.size(), "algorithm list"));
  for (const auto& a : spec.algorithms) {
    put16(out, a.algId);
    put16(out, a.digestSize);
  }
  out.push_back(static_cast<uint8_t>(spec.vendorInfo.size()));
  putBytes(out, spec.vendorInfo);
  return out;
}

EventLog makeCryptoAgileLog(const std::vector<uint16_t>& algs, std::vector<uint8_t> vendorInfo) {
  EventLog log;
  log.format = LogFormat::kCryptoAgile;
  for (uint16_t a : algs) {
    auto size = hashDigestSize(a);
    if (!size) throw InternalError("eventlog: bank " + hashAlgName(a) + " is not an implemented hash");
    log.specId.algorithms.push_back({a, static_cast<uint16_t>(*size)});
  }
  log.specId.vendorInfo = std::move(vendorInfo);
  LogEvent header;
  header.pcrIndex = 0;
  header.eventType = ev::kNoAction;
  header.digests.push_back({alg::kSha1, std::vector<uint8_t>(20, 0)});
  header.data = encodeSpecIdEvent(log.specId);
  log.events.push_back(std::move(header));
  return log;
}

EventLog makeSha1Log() {
  EventLog log;
  log.format = LogFormat::kSha1;
  return log;
}

LogEvent measuredEvent(const EventLog& log, uint32_t pcr, uint32_t type, std::vector<uint8_t> data) {
  LogEvent e;
  e.pcrIndex = pcr;
  e.eventType = type;
  for (uint16_t a : log.banks()) e.digests.push_back({a, digest(a, data.data(), data.size())});
  e.data = std::move(data);
  return e;
}

LogEvent& appendMeasured(EventLog& log, uint32_t pcr, uint32_t type, std::vector<uint8_t> data) {
  log.events.push_back(measuredEvent(log, pcr, type, std::move(data)));
  return log.events.back();
}

std::vector<uint8_t> encodeEvent(const EventLog& log, const LogEvent& event, bool headerEvent) {
  std::vector<uint8_t> out;
  put32(out, event.pcrIndex);
  put32(out, event.eventType);
  if (headerEvent || log.format == LogFormat::kSha1) {
    if (event.digests.size() != 1 || event.digests[0].alg != alg::kSha1 || event.digests[0].digest.size() != 20)
      throw InternalError("eventlog: a TCG_PCR_EVENT needs exactly one 20-byte SHA-1 digest");
    putBytes(out, event.digests[0].digest);
  } else if (log.format == LogFormat::kLegacyBank) {
    auto size = legacyBankDigestSize(log.legacyBank);
    if (event.digests.size() != 1 || event.digests[0].alg != log.legacyBank || !size ||
        event.digests[0].digest.size() != *size)
      throw InternalError("eventlog: a legacy " + hashAlgName(log.legacyBank) + " record needs exactly one " +
                          hashAlgName(log.legacyBank) + " digest of the bank's size");
    putBytes(out, event.digests[0].digest);
  } else {
    put32(out, checkedSize(event.digests.size(), "digest list"));
    for (const auto& d : event.digests) {
      uint16_t size = log.specId.digestSizeOf(d.alg);
      if (size == 0 || d.digest.size() != size)
        throw InternalError("eventlog: digest " + hashAlgName(d.alg) + " of " + std::to_string(d.digest.size()) +
                            " bytes does not match the Spec ID header");
      put16(out, d.alg);
      putBytes(out, d.digest);
    }
  }
  put32(out, checkedSize(event.data.size(), "event data"));
  putBytes(out, event.data);
  return out;
}

std::vector<uint8_t> serializeEventLog(const EventLog& log) {
  if (log.format == LogFormat::kCryptoAgile &&
      (log.events.empty() || log.events[0].data != encodeSpecIdEvent(log.specId)))
    throw InternalError("eventlog: a crypto-agile log's first event must hold its Spec ID header");
  std::vector<uint8_t> out;
  for (size_t i = 0; i < log.events.size(); ++i) {
    bool header = log.hasHeaderEvent() && i == 0;
    auto bytes = encodeEvent(log, log.events[i], header);
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

}  // namespace dlsim::tpm::evlog
