// Text and JSON output for event logs.
#include "tpm_model/eventlog/event_log_render.h"

#include <nlohmann/json.hpp>

#include "sim/hex.h"
#include "tpm_model/eventlog/event_types.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "sim/le_reader.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm::evlog {
namespace {

std::string formatName(LogFormat f) {
  switch (f) {
    case LogFormat::kCryptoAgile: return "crypto-agile";
    case LogFormat::kLegacyBank: return "txt-legacy-bank";
    default: return "sha1";
  }
}

// The legacy log's header record's descriptor, if it has one.
std::optional<LegacyLogDescriptor> legacyDescriptor(const EventLog& log) {
  if (log.format != LogFormat::kLegacyBank || !log.legacyHeader || log.events.empty()) return std::nullopt;
  return decodeLegacyDescriptor(log.events[0].data);
}

std::string padHex32(uint32_t v) {
  std::string h = dlsim::hex(v).substr(2);
  return "0x" + std::string(h.size() < 8 ? 8 - h.size() : 0, '0') + h;
}

}  // namespace

std::string dataPreview(std::span<const uint8_t> data, size_t maxChars) {
  size_t n = data.size();
  while (n > 0 && data[n - 1] == 0) --n;
  bool printable = n > 0;
  for (size_t i = 0; i < n && printable; ++i) printable = data[i] >= 0x20 && data[i] < 0x7F;
  std::string s;
  if (printable) {
    s = "\"";
    for (size_t i = 0; i < n && i < maxChars; ++i) {
      char c = static_cast<char>(data[i]);
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += n > maxChars ? "\"..." : "\"";
    return s;
  }
  size_t bytes = std::min(data.size(), maxChars / 2);
  s = dlsim::hexBytes(data.first(bytes));
  if (data.size() > bytes) s += "...";
  return s;
}

std::string renderEventLogText(const EventLog& log) {
  std::string out;
  if (log.format == LogFormat::kCryptoAgile) {
    const SpecIdEvent& s = log.specId;
    out += "crypto-agile log (Spec ID Event03): platformClass " + std::to_string(s.platformClass) + ", spec " +
           std::to_string(s.specVersionMajor) + "." + std::to_string(s.specVersionMinor) + " errata " +
           std::to_string(s.specErrata) + ", uintnSize " + std::to_string(s.uintnSize) + ", banks";
    for (const auto& a : s.algorithms) out += " " + hashAlgName(a.algId) + "(" + std::to_string(a.digestSize) + ")";
    out += ", vendorInfo " + std::to_string(s.vendorInfo.size()) + " bytes\n";
  } else if (log.format == LogFormat::kLegacyBank) {
    out += "TXT legacy per-bank log (EVENT_LOG_POINTER2), bank " + hashAlgName(log.legacyBank);
    if (auto d = legacyDescriptor(log))
      out += ", TCG_LOG_DESCRIPTOR revision " + std::to_string(d->revision) + " DigestAlgID " +
             std::to_string(d->digestAlgId) + " DigestSize " + std::to_string(d->digestSize) + "\n";
    else
      out += ", no TCG_LOG_DESCRIPTOR header\n";
  } else {
    out += "SHA-1 log (TCG_PCR_EVENT)\n";
  }
  out += std::to_string(log.events.size()) + " events\n";
  for (size_t i = 0; i < log.events.size(); ++i) {
    const LogEvent& e = log.events[i];
    out += "#" + std::to_string(i) + " PCR" + std::to_string(e.pcrIndex) + " " + eventTypeLabel(e.eventType) + " (" +
           padHex32(e.eventType) + ")";
    for (const auto& d : e.digests) out += " " + hashAlgName(d.alg) + ":" + dlsim::hexBytes(d.digest);
    out += " size " + std::to_string(e.data.size());
    if (!e.data.empty()) out += " " + dataPreview(e.data);
    out += "\n";
  }
  return out;
}

std::string renderReplayText(const ReplayResult& replay) {
  std::string out;
  for (const auto& [bank, pcrs] : replay.history)
    for (const auto& [pcr, hist] : pcrs)
      out += hashAlgName(bank) + " PCR" + std::to_string(pcr) + " " + dlsim::hexBytes(replay.values.at(bank).at(pcr)) +
             "  (" + std::to_string(hist.size()) + " events)\n";
  return out;
}

std::string renderEventLogJson(const EventLog& log, const ReplayResult* replay) {
  nlohmann::ordered_json j;
  j["format"] = formatName(log.format);
  if (log.format == LogFormat::kCryptoAgile) {
    const SpecIdEvent& s = log.specId;
    nlohmann::ordered_json spec;
    spec["platform_class"] = s.platformClass;
    spec["spec_version_major"] = s.specVersionMajor;
    spec["spec_version_minor"] = s.specVersionMinor;
    spec["spec_errata"] = s.specErrata;
    spec["uintn_size"] = s.uintnSize;
    spec["algorithms"] = nlohmann::ordered_json::array();
    for (const auto& a : s.algorithms) {
      nlohmann::ordered_json aj;
      aj["alg"] = hashAlgName(a.algId);
      aj["alg_id"] = a.algId;
      aj["digest_size"] = a.digestSize;
      spec["algorithms"].push_back(aj);
    }
    spec["vendor_info"] = dlsim::hexBytes(s.vendorInfo);
    j["spec_id"] = spec;
  }
  if (log.format == LogFormat::kLegacyBank) {
    j["bank"] = hashAlgName(log.legacyBank);
    if (auto d = legacyDescriptor(log)) {
      nlohmann::ordered_json dj;
      dj["revision"] = d->revision;
      dj["digest_alg_id"] = d->digestAlgId;
      dj["digest_size"] = d->digestSize;
      j["descriptor"] = dj;
    } else {
      j["descriptor"] = nullptr;
    }
  }
  j["events"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < log.events.size(); ++i) {
    const LogEvent& e = log.events[i];
    nlohmann::ordered_json ej;
    ej["index"] = i;
    ej["offset"] = e.offset;
    ej["pcr"] = e.pcrIndex;
    ej["type"] = e.eventType;
    ej["type_name"] = eventTypeLabel(e.eventType);
    nlohmann::ordered_json digests = nlohmann::ordered_json::object();
    for (const auto& d : e.digests) digests[hashAlgName(d.alg)] = dlsim::hexBytes(d.digest);
    ej["digests"] = digests;
    ej["data_size"] = e.data.size();
    ej["data_preview"] = dataPreview(e.data);
    ej["data"] = dlsim::hexBytes(e.data);
    j["events"].push_back(ej);
  }
  if (replay) {
    nlohmann::ordered_json pcrs = nlohmann::ordered_json::object();
    for (const auto& [bank, byPcr] : replay->history) {
      nlohmann::ordered_json b = nlohmann::ordered_json::object();
      for (const auto& [pcr, hist] : byPcr) b[std::to_string(pcr)] = dlsim::hexBytes(replay->values.at(bank).at(pcr));
      pcrs[hashAlgName(bank)] = b;
    }
    j["pcrs"] = pcrs;
  }
  return j.dump(2) + "\n";
}

}  // namespace dlsim::tpm::evlog
