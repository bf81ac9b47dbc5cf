// Bounds-checked parsing of TXT legacy per-bank event logs.
#include "tpm_model/eventlog/legacy_bank_log.h"

#include <algorithm>
#include <cstring>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/le_reader.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/event_types.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm::evlog {
namespace {

constexpr char kSignature[16] = "FRMT ID EVENT00";  // 15 characters and the NUL

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

}  // namespace

std::optional<size_t> legacyBankDigestSize(uint16_t tpmAlg) {
  switch (tpmAlg) {
    case alg::kSha1: return 20;
    case alg::kSha256: return 32;
    case alg::kSha384: return 48;
    case alg::kSha512: return 64;
    case alg::kSm3_256: return 32;
    default: return std::nullopt;
  }
}

std::optional<uint16_t> legacyBankFromDigestAlgId(uint32_t id) {
  switch (id) {
    case 1: return alg::kSha1;
    case 2: return alg::kSha256;
    case 3: return alg::kSha384;
    case 4: return alg::kSha512;
    case 5: return alg::kSm3_256;
    default: return std::nullopt;
  }
}

bool looksLikeLegacyBankLog(std::span<const uint8_t> b) {
  return b.size() >= kLegacyHeaderRecordSize && le32(b, 4) == ev::kNoAction && le32(b, 28) == kLegacyDescriptorSize &&
         std::memcmp(b.data() + 32, kSignature, 16) == 0;
}

std::optional<LegacyLogDescriptor> decodeLegacyDescriptor(std::span<const uint8_t> data) {
  if (data.size() != kLegacyDescriptorSize || std::memcmp(data.data(), kSignature, 16) != 0) return std::nullopt;
  return LegacyLogDescriptor{le32(data, 16), le32(data, 20), le32(data, 24)};
}

EventLog makeLegacyBankLog(uint16_t bank, bool withHeader) {
  auto size = legacyBankDigestSize(bank);
  if (!size) throw InternalError("eventlog: " + hashAlgName(bank) + " is not a legacy TXT log bank");
  EventLog log;
  log.format = LogFormat::kLegacyBank;
  log.legacyBank = bank;
  log.legacyHeader = withHeader;
  if (withHeader) {
    uint32_t id = 0;
    for (uint32_t i = 1; i <= 5; ++i)
      if (legacyBankFromDigestAlgId(i) == bank) id = i;
    LogEvent h;
    h.eventType = ev::kNoAction;
    h.digests.push_back({alg::kSha1, std::vector<uint8_t>(20, 0)});
    h.data.assign(kSignature, kSignature + 16);
    for (uint32_t v : {1u, id, static_cast<uint32_t>(*size)})
      for (int k = 0; k < 4; ++k) h.data.push_back(static_cast<uint8_t>(v >> (8 * k)));
    log.events.push_back(std::move(h));
  }
  return log;
}

EventLog parseLegacyBankLog(std::span<const uint8_t> bytes, std::optional<uint16_t> bank, const std::string& source,
                            uint64_t base) {
  if (bank && !legacyBankDigestSize(*bank))
    throw InputError(source + ": " + hashAlgName(*bank) + " is not a bank of a legacy TXT log (sha1, sha256, "
                     "sha384, sha512, sm3)");
  EventLog log;
  log.format = LogFormat::kLegacyBank;
  LeReader r(bytes, source, base);
  if (looksLikeLegacyBankLog(bytes)) {
    r.setContext("event 0 (TCG_LOG_DESCRIPTOR header)");
    LogEvent header = readTpm12StyleEvent(r, alg::kSha1, 20);
    const uint64_t at = header.offset + 32;  // the descriptor
    LegacyLogDescriptor d = *decodeLegacyDescriptor(header.data);
    auto named = legacyBankFromDigestAlgId(d.digestAlgId);
    if (!bank) {
      if (!named)
        r.fail(at + 20, "DigestAlgID",
               std::to_string(d.digestAlgId) + " is none of 1 SHA-1, 2 SHA-256, 3 SHA-384, 4 SHA-512, 5 SM3 "
               "(name the bank with --bank)");
      if (d.digestSize != *legacyBankDigestSize(*named))
        r.fail(at + 24, "DigestSize",
               std::to_string(d.digestSize) + " for " + hashAlgName(*named) + ", which has " +
                   std::to_string(*legacyBankDigestSize(*named)) + "-byte digests");
      bank = named;
    }
    log.legacyHeader = true;
    log.events.push_back(std::move(header));
  } else if (!bank) {
    throw InputError(source + ": offset " + dlsim::hex(base) +
                     ": no TCG_LOG_DESCRIPTOR header record (\"FRMT ID EVENT00\") names the log's bank; "
                     "name it with --bank");
  }
  log.legacyBank = *bank;
  const size_t size = *legacyBankDigestSize(*bank);
  while (r.remaining() > 0 &&
         !std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(r.position()), bytes.end(),
                      [](uint8_t b) { return b == 0; })) {
    r.setContext("event " + std::to_string(log.events.size()));
    log.events.push_back(readTpm12StyleEvent(r, *bank, size));
  }
  return log;
}

}  // namespace dlsim::tpm::evlog
