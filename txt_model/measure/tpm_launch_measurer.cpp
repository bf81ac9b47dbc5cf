// The measurer the TXT platform uses: the TPM as the platform reaches it on
// the bus (sim/platform_tpm_client.h), the event log in guest memory: the
// crypto-agile log of EVENT_LOG_POINTER2_1 or, when OsSinitData carries the
// older EVENT_LOG_POINTER2 instead, one legacy log per bank.
// docs/txt-measurements.md describes what is measured and logged.
#include <botan/hash.h>

#include <cstring>

#include "sim/bus.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/platform_tpm_client.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/measure/launch_events.h"
#include "txt_model/measure/launch_measurer.h"
#include "txt_model/measure/legacy_event_log_writer.h"
#include "txt_model/measure/measurement_error_codes.h"
#include "txt_model/measure/tcg_event_log_writer.h"
#include "txt_model/measure/tpm2_launch_commands.h"
#include "txt_model/mle/mle_hash.h"

namespace dlsim::txt {
namespace {

using measure::LaunchEvent;

// SINIT runs at locality 3 (SENTER opened it, spec §1).
constexpr unsigned kSinitLocality = 3;
// Offsets inside the EVENT_LOG_POINTER2_1 element (after its 8-byte header).
constexpr uint64_t kNextRecordField = 16;

std::vector<uint8_t> hashWith(uint16_t alg, std::span<const uint8_t> data) {
  auto h = Botan::HashFunction::create_or_throw(mle::botanHashName(alg));
  h->update(data.data(), data.size());
  auto d = h->final();
  return {d.begin(), d.end()};
}

MeasurementFailure fail(std::string step, std::string detail, const SinitErrorCode& code) {
  return {std::move(step), std::move(detail), code.errorCode()};
}

// The locality-4 HASH_DATA bytes: the ACM's SHA-256 digest (acm_digest.h)
// then EDX as 4 little-endian bytes (spec §1 SENTER, §7).
std::vector<uint8_t> acmHashData(std::span<const uint8_t> module, const AcmHeader& header, uint32_t edx) {
  auto d = acmDigest(module, header, "SHA-256");
  for (int i = 0; i < 4; ++i) d.push_back(uint8_t(edx >> (8 * i)));
  return d;
}

// Where the TCG log goes and how far it is written (the heap element's
// fields, rewritten in guest memory after each record as SINIT does).
struct TcgLog {
  uint64_t elementFields = 0;  // guest address of the element's body
  heap::EventLogPointer2_1 desc;
};

// One bank's legacy log (EVENT_LOG_POINTER2 descriptor): where its
// next_event_offset field is in guest memory, the descriptor, and the index
// of its bank among the active banks.
struct LegacyLog {
  uint64_t nextEventField = 0;
  heap::EventLogDescriptor desc;
  size_t bank = 0;
};
// Offsets inside the EVENT_LOG_POINTER2 element body: u32 count, then 24-byte
// descriptors whose next_event_offset is at +20.
constexpr uint64_t kDescriptorsAt = 4, kDescriptorSize = 24, kNextEventField = 20;

bool fitsAt(uint64_t next, uint64_t allocated, size_t n) { return next <= allocated && n <= allocated - next; }

// The failure when a record of `n` bytes does not fit at offset `next` of a
// log of `allocated` bytes (`what` names the log), else none.
std::optional<MeasurementFailure> noRoom(const std::string& step, const std::string& what, size_t n, uint64_t next,
                                         uint64_t allocated) {
  if (fitsAt(next, allocated, n)) return std::nullopt;
  return fail(step, what + " full: " + std::to_string(n) + " bytes needed at offset " + std::to_string(next) +
                        " of " + std::to_string(allocated),
              measure::kEventLogFullCode);
}

class TpmLaunchMeasurer final : public LaunchMeasurer {
 public:
  TpmLaunchMeasurer(Bus& bus, GuestMemory& memory) : tpm_(bus), memory_(memory) {}

  std::optional<MeasurementFailure> measureAcm(const AcmMeasurementInputs& in) override {
    if (tpm_.detect(4) == TpmInterfaceKind::kNone)
      return fail("hash-start", "no TPM answers at locality 4 (INTERFACE_ID reads all ones)",
                  measure::kTpmNoAnswerCode);
    auto data = acmHashData(in.module, in.header, in.senterEdx);
    tpm_.hashStart();
    tpm_.hashData(data);
    tpm_.hashEnd();
    return std::nullopt;
  }

  LaunchMeasurementResult measureLaunch(const LaunchMeasurementInputs& in) override {
    LaunchMeasurementResult res;
    auto stop = [&](MeasurementFailure f) {
      res.failure = std::move(f);
      return res;
    };
    // 1. The active banks: those with PCR 17 allocated that dlsim can hash.
    auto tx = tpm_.transact(kSinitLocality, measure::getCapabilityPcrsCommand());
    if (!tx.ok) return stop(fail("get-capability-pcrs", tx.error, measure::kTpmNoAnswerCode));
    if (uint32_t rc = tx.responseCode())
      return stop(fail("get-capability-pcrs", "TPM response code " + hex(rc), measure::tpmErrorCode(rc)));
    auto all = measure::banksWithPcr(tx.response, 17);
    if (!all) return stop(fail("get-capability-pcrs", "malformed response", measure::tpmErrorCode(0x1FF)));
    std::vector<uint16_t> banks;
    for (uint16_t alg : *all)
      if (mle::botanHashName(alg) && measure::tpmDigestSize(alg)) banks.push_back(alg);
    if (banks.empty()) return stop(fail("get-capability-pcrs", "no PCR bank dlsim can hash has PCR 17", measure::tpmErrorCode(0x1FF)));

    // 2. The digests SINIT reports: the MLE's and the ACM's, per bank.
    auto acmInput = acmDigestInput(in.acmModule, in.acmHeader);
    for (uint16_t alg : banks) {
      auto d = in.memory ? mle::mleDigest(*in.memory, in.mle, alg) : std::nullopt;
      if (!d) return stop(fail("mle-hash", "the MLE bytes could not be read", measure::kMleUnreadableCode));
      res.mleDigests.push_back({alg, *d});
      res.acmDigests.push_back({alg, hashWith(alg, acmInput)});
    }

    // 3. The events of the mapping: the TPM here speaks TPM 2.0 commands, so
    // details/authorities whatever OsSinitData's bits 4/5 say (tboot clears
    // them on TPM 2.0; launch_events.h).
    const uint32_t caps = in.heap.osSinit ? in.heap.osSinit->capabilities : 0;
    measure::LaunchEventInputs ei;
    ei.hashData = acmHashData(in.acmModule, in.acmHeader, in.senterEdx);
    ei.capabilities = caps;
    ei.sinitPubKey = in.acmHeader.rsaPublicKey;
    auto events = measure::launchEvents(measure::pcrMappingFor(caps, measure::TpmFamily::kTpm20), ei);

    // 4. The log, when OsSinitData points to one.
    std::optional<TcgLog> log;
    if (in.heap.osSinit) {
      if (const auto* e = heap::findElement(in.heap.osSinit->elements, heap::ElementType::kEventLogPointer2_1)) {
        if (auto d = heap::decodeEventLogPointer2_1(*e))
          log = TcgLog{in.heapBase + e->heapOffset + heap::kElementHeaderSize, *d};
      }
    }
    // Else the legacy per-bank logs (element 7), each bank that is active
    // and has a descriptor (dlsim logs no bank the TPM lacks).
    std::vector<LegacyLog> legacy;
    if (!log && in.heap.osSinit) {
      if (const auto* e = heap::findElement(in.heap.osSinit->elements, heap::ElementType::kEventLogPointer2)) {
        if (auto d = heap::decodeEventLogPointer2(*e)) {
          const uint64_t body = in.heapBase + e->heapOffset + heap::kElementHeaderSize;
          for (size_t i = 0; i < d->logs.size(); ++i)
            for (size_t b = 0; b < banks.size(); ++b)
              if (d->logs[i].alg == banks[b])
                legacy.push_back({body + kDescriptorsAt + kDescriptorSize * i + kNextEventField, d->logs[i], b});
        }
      }
    }
    if (log && log->desc.nextRecordOffset == log->desc.firstRecordOffset) {
      // An empty log (tboot hands it over with both offsets 0): SINIT starts it.
      auto header = measure::specIdHeaderEvent(banks);
      if (auto f = append(*log, header, "event-log header")) return stop(*f);
    }
    for (LegacyLog& l : legacy)
      if (l.desc.nextEventOffset == l.desc.firstEventOffset && measure::legacyLogHasHeader(l.desc.alg)) {
        // An empty non-SHA-1 log starts with its TCG_LOG_DESCRIPTOR record.
        auto header = measure::legacyLogHeader(l.desc.alg, measure::tpmDigestSize(l.desc.alg));
        if (auto f = appendLegacy(l, header, "event-log header (bank " + hex(l.desc.alg) + ")")) return stop(*f);
      }

    // 5. Extend and log, in order.
    for (size_t i = 0; i < events.size(); ++i) {
      const LaunchEvent& ev = events[i];
      const std::string name = measure::launchEventName(ev.type);
      std::vector<BankDigest> digests;
      for (size_t b = 0; b < banks.size(); ++b)
        digests.push_back(ev.type == measure::kEvtMleHash
                              ? res.mleDigests[b]
                              : BankDigest{banks[b], hashWith(banks[b], ev.digestOf.empty() ? ev.data : ev.digestOf)});
      auto record = measure::pcrEvent2(ev.pcr, ev.type, digests, ev.data);
      const std::string step = "pcr" + std::to_string(ev.pcr) + "-extend " + std::to_string(i) + " (" + name + ")";
      if (log)
        if (auto f = noRoom(step, "event log", record.size(), log->desc.nextRecordOffset, log->desc.allocatedSize))
          return stop(*f);
      std::vector<std::vector<uint8_t>> legacyRecords;
      for (const LegacyLog& l : legacy) {
        legacyRecords.push_back(measure::legacyEvent(ev.pcr, ev.type, digests[l.bank].digest, ev.data));
        if (auto f = noRoom(step, "event log of bank " + hex(l.desc.alg), legacyRecords.back().size(),
                            l.desc.nextEventOffset, l.desc.size))
          return stop(*f);
      }
      if (ev.extend) {
        auto t = tpm_.transact(kSinitLocality, measure::pcrExtendCommand(ev.pcr, digests));
        if (!t.ok) return stop(fail(step, t.error, measure::kTpmNoAnswerCode));
        if (uint32_t rc = t.responseCode())
          return stop(fail(step, "TPM response code " + hex(rc), measure::tpmErrorCode(rc)));
      }
      if (log)
        if (auto f = append(*log, record, step)) return stop(*f);
      for (size_t k = 0; k < legacy.size(); ++k)
        if (auto f = appendLegacy(legacy[k], legacyRecords[k], step)) return stop(*f);
    }
    return res;
  }

 private:
  // Writes a record at next_record_offset and moves the offset on, in the
  // log and in the heap element.
  std::optional<MeasurementFailure> append(TcgLog& log, const std::vector<uint8_t>& rec, const std::string& step) {
    if (auto f = noRoom(step, "event log", rec.size(), log.desc.nextRecordOffset, log.desc.allocatedSize)) return f;
    uint32_t next = log.desc.nextRecordOffset + uint32_t(rec.size());
    if (!memory_.write(log.desc.physAddr + log.desc.nextRecordOffset, rec.data(), rec.size()) ||
        !memory_.writeValue(log.elementFields + kNextRecordField, next))
      return fail(step, "event log at " + hex(log.desc.physAddr) + " is not in RAM",
                  measure::kEventLogFullCode);
    log.desc.nextRecordOffset = next;
    return std::nullopt;
  }

  // The same for one bank's legacy log (offsets from its phys_addr).
  std::optional<MeasurementFailure> appendLegacy(LegacyLog& l, const std::vector<uint8_t>& rec,
                                                 const std::string& step) {
    if (auto f = noRoom(step, "event log of bank " + hex(l.desc.alg), rec.size(), l.desc.nextEventOffset, l.desc.size))
      return f;
    uint32_t next = l.desc.nextEventOffset + uint32_t(rec.size());
    if (!memory_.write(l.desc.physAddr + l.desc.nextEventOffset, rec.data(), rec.size()) ||
        !memory_.writeValue(l.nextEventField, next))
      return fail(step, "event log of bank " + hex(l.desc.alg) + " at " + hex(l.desc.physAddr) + " is not in RAM",
                  measure::kEventLogFullCode);
    l.desc.nextEventOffset = next;
    return std::nullopt;
  }

  PlatformTpmClient tpm_;
  GuestMemory& memory_;
};

}  // namespace

std::unique_ptr<LaunchMeasurer> makeTpmLaunchMeasurer(Bus& bus, GuestMemory& memory) {
  return std::make_unique<TpmLaunchMeasurer>(bus, memory);
}

}  // namespace dlsim::txt
