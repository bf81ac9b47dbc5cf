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
    e["code"] = c.code ? json(hex(*c.code)) : json(nullptr);
    e["name"] = c.code ? json(tpmCommandLabel(*c.code)) : json("(incomplete)");
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
    out += " (last " + (last.code ? tpmCommandLabel(*last.code) : std::string("(incomplete)")) +
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
