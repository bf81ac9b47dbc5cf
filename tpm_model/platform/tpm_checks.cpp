// Parses and evaluates the TPM expectations (see tpm_checks.h).
#include "tpm_model/platform/tpm_checks.h"

#include <set>

#include "sim/hex.h"
#include "sim/scenario/json_reader.h"

namespace dlsim {

using nlohmann::json;

namespace {

// Digest sizes of the banks a scenario can allocate.
const std::map<std::string, size_t>& bankSizes() {
  static const std::map<std::string, size_t> m = {
      {"sha1", 20}, {"sha256", 32}, {"sha384", 48}, {"sha512", 64}, {"sm3_256", 32}};
  return m;
}

std::string readDigest(const JsonValue& v, size_t bytes) {
  std::string s = v.string();
  bool hexOnly = true;
  for (char& c : s) {
    if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) hexOnly = false;
  }
  if (!hexOnly || s.size() != 2 * bytes)
    v.fail(describeJson(v.json()) + " is not " + std::to_string(2 * bytes) + " hex digits (a " +
           std::to_string(bytes) + "-byte digest)");
  return s;
}

unsigned readPcrIndex(const JsonValue& where, const std::string& key) {
  bool digits = !key.empty() && key.size() <= 2;
  for (char c : key) digits &= c >= '0' && c <= '9';
  if (!digits || std::stoi(key) > 23 || (key.size() == 2 && key[0] == '0'))
    where.fail("\"" + key + "\" is not a PCR index 0..23");
  return unsigned(std::stoi(key));
}

}  // namespace

TpmExpectations parseTpmExpectations(JsonObjectReader& o) {
  TpmExpectations e;
  if (auto p = o.optional("pcrs")) {
    JsonObjectReader banks = p->object();
    for (const auto& [bank, value] : banks.members()) {
      auto size = bankSizes().find(bank);
      if (size == bankSizes().end())
        value.fail("unknown bank \"" + bank + "\" (known: sha1, sha256, sha384, sha512, sm3_256)");
      JsonObjectReader pcrs = value.object();
      for (const auto& [index, digest] : pcrs.members()) {
        unsigned pcr = readPcrIndex(digest, index);  // the index is judged before its value
        e.pcrs[bank][pcr] = readDigest(digest, size->second);
      }
    }
  }
  if (auto r = o.optional("event_log_replays")) {
    if (!r->boolean()) r->fail("only true is allowed (leave the key out to not check the event log)");
    e.eventLogReplays = true;
  }
  if (auto t = o.optional("tpm")) {
    JsonObjectReader to = t->object({"established", "active_locality", "commands_at_locality"});
    if (auto v = to.optional("established")) e.established = v->boolean();
    if (auto v = to.optional("active_locality")) {
      if (v->json().is_null())
        e.activeLocality = -1;
      else
        e.activeLocality = int(v->integer(0, 4));
    }
    if (auto v = to.optional("commands_at_locality")) {
      JsonObjectReader lo = v->object();
      for (const auto& [key, count] : lo.members()) {
        if (key.size() != 1 || key[0] < '0' || key[0] > '4') count.fail("\"" + key + "\" is not a locality 0..4");
        e.commandsAtLocality[unsigned(key[0] - '0')] = count.u64();
      }
    }
    to.finish();
  }
  return e;
}

void addTpmChecks(const TpmExpectations& e, const TpmObservation* tpm, std::vector<CheckResult>& out) {
  for (const auto& [bank, values] : e.pcrs) {
    for (const auto& [index, want] : values) {
      std::string name = "pcrs." + bank + "[" + std::to_string(index) + "]";
      if (!tpm) {
        out.push_back({name, false, want, "no TPM"});
        continue;
      }
      auto b = tpm->pcrs.find(bank);
      if (b == tpm->pcrs.end()) {
        out.push_back({name, false, want, "bank not allocated"});
        continue;
      }
      auto v = b->second.find(index);
      if (v == b->second.end())
        out.push_back({name, false, want, "not observable"});
      else
        out.push_back({name, v->second == want, want, v->second});
    }
  }
  if (e.eventLogReplays) {
    json actual;
    bool ok = false;
    if (!tpm) {
      actual = "no TPM";
    } else if (!tpm->eventLog) {
      actual = "no event_log location in the scenario";
    } else {
      const EventLogObservation& log = *tpm->eventLog;
      ok = log.replays();
      if (!log.error.empty())
        actual = log.error;
      else if (log.measurements == 0)
        actual = "the log holds no measurement events";
      else if (!log.disagreements.empty())
        actual = log.disagreements.front() + (log.disagreements.size() > 1
                                                  ? " (and " + std::to_string(log.disagreements.size() - 1) + " more)"
                                                  : std::string());
      else
        actual = "replays: " + std::to_string(log.measurements) + " events";
    }
    out.push_back({"event_log_replays", ok, "replays", actual});
  }
  if (e.established) {
    if (!tpm)
      out.push_back({"tpm.established", false, *e.established, "no TPM"});
    else
      out.push_back({"tpm.established", tpm->established == *e.established, *e.established, tpm->established});
  }
  if (e.activeLocality) {
    json want = *e.activeLocality < 0 ? json(nullptr) : json(*e.activeLocality);
    if (!tpm) {
      out.push_back({"tpm.active_locality", false, want, "no TPM"});
    } else {
      json have = tpm->activeLocality < 0 ? json(nullptr) : json(tpm->activeLocality);
      out.push_back({"tpm.active_locality", tpm->activeLocality == *e.activeLocality, want, have});
    }
  }
  for (const auto& [loc, want] : e.commandsAtLocality) {
    std::string name = "tpm.commands_at_locality[" + std::to_string(loc) + "]";
    if (!tpm)
      out.push_back({name, false, want, "no TPM"});
    else
      out.push_back({name, tpm->commandsPerLocality[loc] == want, want, tpm->commandsPerLocality[loc]});
  }
}

void TpmExpectations::check(const ModelObservation* obs, std::vector<CheckResult>& out) const {
  addTpmChecks(*this, dynamic_cast<const TpmObservation*>(obs), out);
}

}  // namespace dlsim
