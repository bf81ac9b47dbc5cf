// Builds, maps and observes the scenario's TPM (see tpm_setup.h).
#include "tpm_model/platform/tpm_setup.h"

#include <algorithm>

#include "sim/bus.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "tpm_model/platform/tpm_provision.h"
#include "tpm_model/platform/tpm_spec_parser.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/eventlog/txt12_event_container.h"
#include "tpm_model/eventlog/txt_event_container.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/libtpms_engine.h"

namespace dlsim {

namespace {

constexpr unsigned kPcrCount = 24;
constexpr uint16_t kNvNameAlg = 0x000B;  // SHA-256

std::unique_ptr<tpm::TpmEngine> makeEngine(const TpmSpec& spec, uint64_t seed, const std::string& source) {
  if (spec.engine == TpmEngineKind::Dlsim) {
    tpm::EngineConfig c;
    c.pcrBanks = spec.banks;
    // A bank needs its hash implemented (SM3-256 is not by default).
    for (uint16_t b : spec.banks)
      if (std::find(c.hashAlgs.begin(), c.hashAlgs.end(), b) == c.hashAlgs.end()) c.hashAlgs.push_back(b);
    std::sort(c.hashAlgs.begin(), c.hashAlgs.end());
    c.rngSeed = seed;
    auto e = std::make_unique<tpm::DlsimEngine>(c, source + ": /tpm");
    // preloadNv always marks an index written (its size is its data's), so
    // indices without data are defined by command, as a provisioning tool would.
    std::vector<std::pair<size_t, TpmNvSpec>> unwritten;
    for (size_t i = 0; i < spec.nv.size(); ++i) {
      const TpmNvSpec& n = spec.nv[i];
      if (!n.written) {
        unwritten.emplace_back(i, n);
        continue;
      }
      tpm::NvIndex idx;
      idx.index = n.index;
      idx.nameAlg = kNvNameAlg;
      idx.attributes = n.attributes;
      idx.data = n.data;
      e->preloadNv(idx, source + ": /tpm/nv/" + std::to_string(i));
    }
    if (!unwritten.empty()) provisionByCommands(*e, nullptr, unwritten, source);
    return e;
  }
  auto e = std::make_unique<tpm::LibtpmsEngine>(seed);
  std::vector<std::pair<size_t, TpmNvSpec>> nv;
  for (size_t i = 0; i < spec.nv.size(); ++i) nv.emplace_back(i, spec.nv[i]);
  provisionByCommands(*e, &spec.banks, nv, source);
  return e;
}

std::string hexOf(const std::vector<uint8_t>& v) { return hexBytes(v.data(), v.size()); }

bool readGuest(const GuestMemory& memory, uint64_t address, uint64_t size, std::vector<uint8_t>& out) {
  out.assign(size, 0);
  return memory.read(address, out.data(), out.size());
}

// Reads and parses the log; throws InputError (the guest's log is malformed)
// with a message naming where it was read.
tpm::evlog::EventLog readEventLog(const GuestMemory& memory, const TpmEventLogSpec& spec,
                                  std::vector<uint8_t>& read) {
  namespace ev = tpm::evlog;
  const std::string source = "event log at " + hex(spec.address);
  std::vector<uint8_t> bytes;
  if (spec.format == TpmEventLogFormat::TxtContainer) {
    if (!readGuest(memory, spec.address, ev::kEventLogPointer2_1ElementSize, bytes))
      throw InputError(source + ": the event log pointer element is not in RAM");
    ev::EventLogPointer2_1 ptr = ev::parseEventLogPointerElement(bytes, source);
    if (ptr.allocatedSize > spec.size)
      throw InputError(source + ": the container's allocated size " + std::to_string(ptr.allocatedSize) +
                       " exceeds event_log.size " + std::to_string(spec.size));
    std::vector<uint8_t> container;
    if (!readGuest(memory, ptr.physAddr, ptr.allocatedSize, container))
      throw InputError(source + ": the container at " + hex(ptr.physAddr) + " is not in RAM");
    read = bytes;
    read.insert(read.end(), container.begin(), container.end());
    return ev::parseTxtEventLog(ptr, container, ptr.physAddr, source);
  }
  if (!readGuest(memory, spec.address, spec.size, bytes))
    throw InputError(source + ": [" + hex(spec.address) + ", +" + hex(spec.size) + ") is not in RAM");
  read = bytes;
  switch (spec.format) {
    case TpmEventLogFormat::Tcg2:
      return ev::parseEventLog(bytes, ev::LogFormat::kCryptoAgile, source);
    case TpmEventLogFormat::Sha1:
      return ev::parseEventLog(bytes, ev::LogFormat::kSha1, source);
    case TpmEventLogFormat::Txt12Container:
      return ev::parseTxt12Container(bytes, source);
    case TpmEventLogFormat::TxtContainer:
      break;
  }
  throw InternalError("tpm: unhandled event log format");
}

EventLogObservation observeEventLog(const GuestMemory& memory, const TpmEventLogSpec& spec, tpm::TpmEngine& engine,
                                    const std::vector<uint16_t>& banks) {
  namespace ev = tpm::evlog;
  EventLogObservation o;
  o.format = tpmEventLogFormatName(spec.format);
  o.address = spec.address;
  o.size = spec.size;
  ev::EventLog log;
  try {
    log = readEventLog(memory, spec, o.bytes);
  } catch (const InputError& e) {
    o.error = e.what();
    return o;
  }
  // PCR 17-22 start at zero after a dynamic launch, at all ones otherwise.
  const bool launched = engine.established();
  o.startValues = launched ? "after-dynamic-launch" : "after-startup";
  ev::PcrValues start =
      ev::initialPcrValues(banks, launched ? ev::InitialPcrs::kAfterDynamicLaunch : ev::InitialPcrs::kAfterStartup);
  ev::ReplayResult replay = ev::replayEventLog(log, start);
  std::vector<size_t> extended;
  ev::PcrValues observed;
  for (const auto& [bank, pcrs] : replay.history) {
    for (const auto& [pcr, steps] : pcrs) {
      for (const auto& step : steps) extended.push_back(step.first);
      o.replayed[tpmBankName(bank)][pcr] = hexOf(replay.values.at(bank).at(pcr));
      if (auto v = engine.pcrValue(bank, pcr))
        observed[bank][pcr] = *v;
      else
        o.disagreements.push_back(tpmBankName(bank) + " PCR" + std::to_string(pcr) + ": the TPM's value cannot be read");
    }
  }
  std::sort(extended.begin(), extended.end());
  o.measurements = size_t(std::unique(extended.begin(), extended.end()) - extended.begin());
  for (const auto& d : ev::comparePcrs(replay, observed)) o.disagreements.push_back(ev::describeDisagreement(d));
  nlohmann::json rendered = nlohmann::json::parse(ev::renderEventLogJson(log));
  o.log = rendered;
  o.text = ev::renderEventLogText(log);
  return o;
}

}  // namespace

TpmSetup::~TpmSetup() = default;

TpmSetup& TpmSetup::install(ModelHost& host, const TpmSpec& spec, uint64_t seed, const std::string& source) {
  std::shared_ptr<TpmSetup> t(new TpmSetup());
  t->spec_ = spec;
  t->engine_ = makeEngine(spec, seed, source);
  if (spec.startup == TpmStartup::Clear) firmwareStartupClear(*t->engine_, source);
  tpm::TpmInterfaceOptions opt;
  opt.baseAddress = tpm::ptp::kDefaultBase;
  for (int loc : spec.localitiesOpen) opt.openAtStart[size_t(loc)] = true;
  opt.gate = &host.tpmLocalityGate();
  if (spec.interface == TpmInterfaceKind::Tis)
    t->device_ = std::make_unique<tpm::TisDevice>(*t->engine_, opt);
  else
    t->device_ = std::make_unique<tpm::CrbDevice>(*t->engine_, opt);
  for (const auto& f : spec.faults.failCommands) t->device_->failCommand(f.commandCode, f.rc);
  if (spec.faults.stopAnsweringAfter) t->device_->stopAnsweringAfter(*spec.faults.stopAnsweringAfter);
  t->device_->setReadyDelay(spec.faults.readyDelayReads);
  host.bus().mapMmio(tpm::ptp::kDefaultBase, tpm::ptp::kWindowSize, t->device_.get());
  TpmSetup& ref = *t;
  host.keepAlive(std::move(t));
  return ref;
}

TpmObservation TpmSetup::observe(const GuestMemory& memory) {
  TpmObservation o;
  o.interface = tpmInterfaceName(spec_.interface);
  o.engine = engine_->name();
  for (uint16_t bank : spec_.banks) {
    auto& values = o.pcrs[tpmBankName(bank)];
    for (unsigned i = 0; i < kPcrCount; ++i)
      if (auto v = engine_->pcrValue(bank, i)) values[i] = hexOf(*v);
  }
  o.activeLocality = device_->activeLocality();
  o.established = engine_->established();
  o.hung = device_->hung();
  for (unsigned l = 0; l < o.commandsPerLocality.size(); ++l) o.commandsPerLocality[l] = device_->commandCount(l);
  for (const auto& r : device_->commands()) {
    TpmCommandObservation c;
    c.locality = r.locality;
    if (r.header) {
      c.tag = r.tag;
      c.code = r.commandCode;
    }
    c.answered = r.answered;
    c.rc = r.responseCode;
    o.commands.push_back(c);
  }
  o.droppedAccesses = device_->droppedCount();
  if (spec_.eventLog) o.eventLog = observeEventLog(memory, *spec_.eventLog, *engine_, spec_.banks);
  return o;
}

}  // namespace dlsim
