// Renders TpmObservation for the JSON and text reports.
#include "tpm_model/platform/tpm_report.h"

#include "sim/hex.h"
#include "tpm_model/platform/tpm_command_codes.h"

namespace dlsim {

using nlohmann::json;

json pcrsToJson(const PcrHexValues& pcrs) {
  json j = json::object();
  for (const auto& [bank, values] : pcrs) {
    json b = json::object();
    for (const auto& [index, value] : values) b[std::to_string(index)] = value;
    j[bank] = b;
  }
  return j;
}

namespace {

// TPM 1.2 request tags (TPM_TAG_RQU_COMMAND, _AUTH1_, _AUTH2_: 0x00C1-C3).
// TPM 2.0 Part 3 §6.1 answers them TPM_RC_BAD_TAG (0x01E) with the 1.2
// response tag 0x00C4, which 1.2 software reads as TPM_BADTAG (libtpms
// answers TPM_RC_VALUE, 0x084: spec/tpm.md §5). tboot sends one (ordinal
// 0xFFFFFFFF, tpm12_check) to tell a 1.2 TPM (TPM_BAD_ORDINAL) from a 2.0.
bool isTpm12RequestTag(uint16_t tag) { return tag >= 0x00C1 && tag <= 0x00C3; }

std::string tpmCommandObservationLabel(const TpmCommandObservation& c) {
  if (!c.code) return "(incomplete)";
  if (c.tag && isTpm12RequestTag(*c.tag)) return "TPM 1.2 command (tag " + hex(*c.tag) + ", ordinal " + hex(*c.code) + ")";
  return tpmCommandLabel(*c.code);
}

}  // namespace

json tpmToJson(const TpmObservation& t) {
  json j = json::object();
  j["interface"] = t.interface;
  j["engine"] = t.engine;
  j["active_locality"] = t.activeLocality < 0 ? json(nullptr) : json(t.activeLocality);
  j["established"] = t.established;
  j["hung"] = t.hung;
  json per = json::object();
  for (size_t i = 0; i < t.commandsPerLocality.size(); ++i) per[std::to_string(i)] = t.commandsPerLocality[i];
  json list = json::array();
  for (const auto& c : t.commands) {
    json e = json::object();
    e["locality"] = c.locality;
    e["tag"] = c.tag ? json(hex(*c.tag)) : json(nullptr);
    e["code"] = c.code ? json(hex(*c.code)) : json(nullptr);
    e["name"] = tpmCommandObservationLabel(c);
    e["answered"] = c.answered;
    e["rc"] = c.answered ? json(hex(c.rc)) : json(nullptr);
    list.push_back(e);
  }
  j["commands"] = {{"per_locality", per}, {"list", list}};
  j["dropped_accesses"] = t.droppedAccesses;
  return j;
}

json eventLogToJson(const EventLogObservation& e) {
  json j = json::object();
  j["format"] = e.format;
  j["address"] = hex(e.address);
  j["size"] = e.size;
  j["error"] = e.error.empty() ? json(nullptr) : json(e.error);
  j["log"] = e.error.empty() ? e.log : json(nullptr);
  j["start_values"] = e.startValues;
  j["replayed"] = pcrsToJson(e.replayed);
  j["replays"] = e.replays();
  j["disagreements"] = e.disagreements;
  return j;
}

std::string tpmText(const TpmObservation& t) {
  uint64_t total = 0;
  for (uint64_t n : t.commandsPerLocality) total += n;
  std::string out = "  tpm: " + t.interface + "/" + t.engine + ", " +
                    (t.activeLocality < 0 ? std::string("no active locality")
                                          : "locality " + std::to_string(t.activeLocality) + " active") +
                    ", established " + (t.established ? "yes" : "no") + ", " + std::to_string(total) + " commands";
  if (!t.commands.empty()) {
    const auto& last = t.commands.back();
    out += " (last " + tpmCommandObservationLabel(last) +
           (last.answered ? " rc " + hex(last.rc) : std::string(" unanswered")) + ")";
  }
  if (t.hung) out += ", stopped answering";
  out += "\n";
  if (t.eventLog) {
    const auto& e = *t.eventLog;
    if (!e.error.empty())
      out += "  event log: " + e.error + "\n";
    else if (e.measurements == 0)
      out += "  event log: no measurement events\n";
    for (const auto& d : e.disagreements) out += "  event log: " + d + "\n";
  }
  return out;
}

void TpmObservation::addToJson(json& run) const {
  run["pcrs"] = pcrsToJson(pcrs);
  run["tpm"] = tpmToJson(*this);
  if (eventLog) run["event_log"] = eventLogToJson(*eventLog);
}

std::string TpmObservation::text() const { return tpmText(*this); }

std::string TpmObservation::detailText() const {
  std::string out = tpmText(*this);
  if (!eventLog || eventLog->text.empty()) return out;
  out += "  event log (" + eventLog->format + " at " + hex(eventLog->address) + "):\n";
  size_t pos = 0;
  while (pos < eventLog->text.size()) {
    size_t nl = eventLog->text.find('\n', pos);
    if (nl == std::string::npos) nl = eventLog->text.size();
    out += "    " + eventLog->text.substr(pos, nl - pos) + "\n";
    pos = nl + 1;
  }
  return out;
}

}  // namespace dlsim
