// Event-log replay by the PCR extend formula, and the comparison with a TPM.
#include "tpm_model/eventlog/pcr_replay.h"

#include "sim/hex.h"
#include "tpm_model/eventlog/event_types.h"
#include "sim/le_reader.h"
#include "tpm_model/pcr_banks.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm::evlog {

PcrValues initialPcrValues(const std::vector<uint16_t>& banks, InitialPcrs kind) {
  PcrValues v;
  for (uint16_t bank : banks) {
    auto size = hashDigestSize(bank);
    if (!size) continue;
    for (unsigned pcr = 0; pcr < kPcrCount; ++pcr) {
      uint8_t fill = 0;
      if (kind == InitialPcrs::kAfterStartup && pcrResetsToOnes(pcr)) fill = 0xFF;
      if (kind == InitialPcrs::kAfterDynamicLaunch && pcrResetsToOnes(pcr)) fill = 0x00;
      v[bank][pcr] = std::vector<uint8_t>(*size, fill);
    }
  }
  return v;
}

ReplayResult replayEventLog(const EventLog& log, const PcrValues& initial, const ReplayOptions& options) {
  ReplayResult r;
  r.values = initial;
  r.start = initial;
  for (size_t i = log.firstMeasurementIndex(); i < log.events.size(); ++i) {
    const LogEvent& e = log.events[i];
    bool marker = e.eventType == ev::kSlaunchStart || e.eventType == ev::kSlaunchEnd;
    if (e.eventType == ev::kNoAction || (marker && options.skipSecureLaunchMarkers)) {
      r.skipped.push_back(i);
      continue;
    }
    bool extended = false;
    for (uint16_t bank : log.banks()) {
      auto bankIt = r.values.find(bank);
      if (bankIt == r.values.end() || !hashDigestSize(bank)) continue;
      auto pcrIt = bankIt->second.find(e.pcrIndex);
      if (pcrIt == bankIt->second.end()) continue;
      extended = true;
      const EventDigest* d = e.digestFor(bank);
      if (!d) {
        // The event's digests are the TPML_DIGEST_VALUES its TPM2_PCR_Extend
        // sent; the TPM leaves a bank that list lacks unchanged (TPM 2.0 Part 3
        // §22.2), so the replay does too. tboot's "fixed" extend policy logs
        // (and extends) one bank only.
        r.missingDigest[bank].try_emplace(e.pcrIndex, i);
        continue;
      }
      std::vector<uint8_t> buf = pcrIt->second;
      buf.insert(buf.end(), d->digest.begin(), d->digest.end());
      pcrIt->second = digest(bank, buf.data(), buf.size());
      r.history[bank][e.pcrIndex].emplace_back(i, pcrIt->second);
    }
    if (!extended) r.skipped.push_back(i);
  }
  return r;
}

std::vector<PcrDisagreement> comparePcrs(const ReplayResult& replay, const PcrValues& observed) {
  std::vector<PcrDisagreement> out;
  for (const auto& [bank, pcrs] : observed) {
    auto bankIt = replay.values.find(bank);
    if (bankIt == replay.values.end()) continue;
    for (const auto& [pcr, value] : pcrs) {
      auto pcrIt = bankIt->second.find(pcr);
      if (pcrIt == bankIt->second.end()) continue;
      std::optional<size_t> missing;
      if (auto m = replay.missingDigest.find(bank); m != replay.missingDigest.end())
        if (auto p = m->second.find(pcr); p != m->second.end()) missing = p->second;
      // An event without this bank's digest did not extend the bank (see
      // replayEventLog): equal values agree, whatever the log's completeness.
      if (pcrIt->second == value) continue;
      PcrDisagreement d;
      d.bank = bank;
      d.pcr = pcr;
      d.replayed = pcrIt->second;
      d.observed = value;
      d.missingDigestAt = missing;
      // Which prefix of this PCR's events, if any, does the TPM's value match?
      const std::vector<std::pair<size_t, std::vector<uint8_t>>>* hist = nullptr;
      if (auto h = replay.history.find(bank); h != replay.history.end())
        if (auto p = h->second.find(pcr); p != h->second.end()) hist = &p->second;
      size_t events = hist ? hist->size() : 0;
      // The latest prefix of this PCR's events whose value equals the TPM's.
      for (size_t k = events; k-- > 0;) {
        if ((*hist)[k].second == value) {
          d.matchingPrefix = k + 1;
          break;
        }
      }
      if (!d.matchingPrefix) {
        const std::vector<uint8_t>* start = nullptr;
        if (auto sb = replay.start.find(bank); sb != replay.start.end())
          if (auto sp = sb->second.find(pcr); sp != sb->second.end()) start = &sp->second;
        if (start && *start == value) d.matchingPrefix = 0;
      }
      if (d.matchingPrefix && *d.matchingPrefix < events) d.firstDivergentEvent = (*hist)[*d.matchingPrefix].first;
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::string describeDisagreement(const PcrDisagreement& d) {
  std::string s = hashAlgName(d.bank) + " PCR" + std::to_string(d.pcr) + ": replayed " + dlsim::hexBytes(d.replayed) +
                  ", observed " + dlsim::hexBytes(d.observed);
  if (d.missingDigestAt)
    s += "; event #" + std::to_string(*d.missingDigestAt) + " has no " + hashAlgName(d.bank) +
         " digest (replayed as not extending this bank)";
  if (d.matchingPrefix) {
    s += "; the TPM matches the log through " + std::to_string(*d.matchingPrefix) + " event(s) of this PCR";
    if (d.firstDivergentEvent) s += ", first divergent event #" + std::to_string(*d.firstDivergentEvent);
  }
  return s;
}

}  // namespace dlsim::tpm::evlog
