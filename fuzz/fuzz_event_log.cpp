// libFuzzer target: the event-log parsers on untrusted bytes. Byte 0 picks
// the entry point (below), the rest is the input. Each must either return a
// log or throw dlsim::InputError; anything else (a crash, a sanitizer report,
// another exception) is a finding. A parsed log is then used the way the CLI
// uses one (render as text and JSON, replay), and its serialized form must
// parse again and serialize to the same bytes.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "fuzz/fuzz_check.h"
#include "sim/errors.h"
#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/eventlog/txt12_event_container.h"
#include "tpm_model/eventlog/txt_event_container.h"

namespace {

using namespace dlsim::tpm::evlog;
using dlsim::fuzz::fail;

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && at + i < b.size(); ++i) v |= uint32_t(b[at + i]) << (8 * i);
  return v;
}

// 0 crypto-agile, 1 SHA-1, 2 detected format, 3 file input "auto",
// 4 TXT container dump, 5 TPM 1.2 TXT Event Container, 6 parseTxtEventLog
// with the pointer taken from the first 16 bytes (memory = the rest, base
// 0x100000), 7 the Spec ID event alone, 8 a TXT legacy per-bank log by its
// header, 9 a TXT legacy per-bank log of the bank the first byte picks
// (SHA-1, SHA-256, SHA-384, SHA-512, SM3; rest: an unknown one).
EventLog parse(uint8_t selector, std::span<const uint8_t> b) {
  switch (selector % 10) {
    case 0: return parseEventLog(b, LogFormat::kCryptoAgile, "fuzz");
    case 1: return parseEventLog(b, LogFormat::kSha1, "fuzz");
    case 2: return parseEventLog(b, detectLogFormat(b), "fuzz");
    case 3: return parseEventLogInput(b, InputFormat::kAuto, "fuzz");
    case 4: return parseTxtContainerDump(b, "fuzz");
    case 5: return parseTxt12Container(b, "fuzz");
    case 6: {
      EventLogPointer2_1 ptr;
      ptr.physAddr = 0x100000 + (le32(b, 0) & 0xFFFF);
      ptr.allocatedSize = le32(b, 4);
      ptr.firstRecordOffset = le32(b, 8);
      ptr.nextRecordOffset = le32(b, 12);
      std::span<const uint8_t> mem = b.size() > 16 ? b.subspan(16) : std::span<const uint8_t>();
      return parseTxtEventLog(ptr, mem, 0x100000, "fuzz");
    }
    case 8: return parseLegacyBankLog(b, std::nullopt, "fuzz");
    case 9: {
      static constexpr uint16_t kBanks[] = {0x0004, 0x000B, 0x000C, 0x000D, 0x0012, 0x0010};
      uint16_t bank = b.empty() ? kBanks[0] : kBanks[b[0] % 6];
      return parseEventLogInput(b.empty() ? b : b.subspan(1), InputFormat::kAuto, "fuzz", bank);
    }
    case 7: {
      (void)parseSpecIdEvent(b, "fuzz");
      throw dlsim::InputError("fuzz: Spec ID event parsed (no log to use)");
    }
  }
  return parseEventLog(b, LogFormat::kSha1, "fuzz");  // not reached
}

void use(const EventLog& log) {
  (void)renderEventLogText(log);
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  (void)renderEventLogJson(log, &r);
  (void)renderReplayText(r);
  (void)comparePcrs(r, initialPcrValues(log.banks(), InitialPcrs::kAfterStartup));
  auto bytes = serializeEventLog(log);
  EventLog again;
  try {
    again = log.format == LogFormat::kLegacyBank ? parseLegacyBankLog(bytes, log.legacyBank, "fuzz re-parse")
                                                 : parseEventLog(bytes, log.format, "fuzz re-parse");
  } catch (const dlsim::InputError& e) {
    fail(std::string("a parsed log serializes to bytes its own parser rejects: ") + e.what());
  }
  if (serializeEventLog(again) != bytes) fail("serialize(parse(serialize(log))) differs from serialize(log)");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> b(data + 1, size - 1);
  try {
    use(parse(data[0], b));
  } catch (const dlsim::InputError&) {
    // rejected with the documented error: fine
  } catch (const std::exception& e) {
    fail(std::string("exception other than InputError: ") + e.what());
  } catch (...) {
    fail("non-standard exception");
  }
  return 0;
}
