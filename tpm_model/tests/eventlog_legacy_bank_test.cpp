// TXT legacy per-bank event logs (EVENT_LOG_POINTER2; legacy_bank_log.h):
// logs assembled by hand in the test, digests and replayed PCRs computed
// here with Botan from the event data (PCR := H(PCR || H(data)), PCR 17/18
// zero after the dynamic launch's reset), never taken from dlsim's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/tests/eventlog_test_bytes.h"

namespace dlsim::tpm::evlog {
namespace {

using testing::botanHash;
using testing::Bytes;
using testing::bytesOf;
using testing::concat;

struct Bank {
  uint16_t tpmAlg;
  uint32_t digestAlgId;  // TCG_LOG_DESCRIPTOR.DigestAlgID
  const char* botan;
  uint32_t size;
};
const Bank kSha256{0x000B, 2, "SHA-256", 32};
const Bank kSha384{0x000C, 3, "SHA-384", 48};
const Bank kSha512{0x000D, 4, "SHA-512", 64};
const Bank kSm3{0x0012, 5, "SM3", 32};

// The header record: TCG_PCR_EVENT {0, EV_NO_ACTION, 20 zero bytes, 28} and
// the TCG_LOG_DESCRIPTOR {"FRMT ID EVENT00\0", revision, alg id, size}.
Bytes header(uint32_t algId, uint32_t size, uint32_t revision = 1) {
  Bytes b;
  b.u32(0).u32(3).zeros(20).u32(28).str("FRMT ID EVENT00").u8(0).u32(revision).u32(algId).u32(size);
  return b;
}

Bytes& record(Bytes& b, const Bank& bank, uint32_t pcr, uint32_t type, const std::string& data) {
  return b.u32(pcr).u32(type).raw(botanHash(bank.botan, bytesOf(data))).u32(uint32_t(data.size())).str(data);
}

// Two events in PCR 17, one in PCR 18.
Bytes handLog(const Bank& bank, bool withHeader = true) {
  Bytes b = withHeader ? header(bank.digestAlgId, bank.size) : Bytes{};
  record(b, bank, 17, 0x402, "acm digest");
  record(b, bank, 17, 0x40a, "the mle");
  record(b, bank, 18, 0x40c, "pubkey");
  return b;
}

std::vector<uint8_t> extend(const Bank& bank, std::vector<uint8_t> pcr, const std::string& data) {
  return botanHash(bank.botan, concat(std::move(pcr), botanHash(bank.botan, bytesOf(data))));
}

template <typename F>
void expectInputError(F&& f, std::initializer_list<std::string> fragments) {
  try {
    f();
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    std::string m = e.what();
    for (const auto& frag : fragments) EXPECT_NE(m.find(frag), std::string::npos) << "message: " << m << "\nlacks: " << frag;
  }
}

class LegacyBankLog : public ::testing::TestWithParam<Bank> {};

TEST_P(LegacyBankLog, AutoDetectedByItsHeaderParsedAndReplayed) {
  const Bank& bank = GetParam();
  Bytes b = handLog(bank);
  EventLog log = parseEventLogInput(b.b, InputFormat::kAuto, "bank.bin");
  EXPECT_EQ(log.format, LogFormat::kLegacyBank);
  EXPECT_EQ(log.legacyBank, bank.tpmAlg);
  EXPECT_TRUE(log.legacyHeader);
  EXPECT_EQ(log.banks(), std::vector<uint16_t>{bank.tpmAlg});
  ASSERT_EQ(log.events.size(), 4u);
  EXPECT_EQ(log.firstMeasurementIndex(), 1u);
  EXPECT_EQ(log.events[0].eventType, 3u);
  EXPECT_EQ(log.events[1].pcrIndex, 17u);
  EXPECT_EQ(log.events[1].eventType, 0x402u);
  EXPECT_EQ(log.events[1].offset, 60u);
  ASSERT_EQ(log.events[1].digests.size(), 1u);
  EXPECT_EQ(log.events[1].digests[0].alg, bank.tpmAlg);
  EXPECT_EQ(log.events[1].digests[0].digest, botanHash(bank.botan, bytesOf("acm digest")));
  EXPECT_EQ(log.events[3].data, bytesOf("pubkey"));
  // The serialized form is the hand-assembled bytes.
  EXPECT_EQ(serializeEventLog(log), b.b);

  // The header record is skipped; PCR 17/18 start at zero (dynamic launch).
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  std::vector<uint8_t> zero(bank.size, 0);
  EXPECT_EQ(r.values.at(bank.tpmAlg).at(17), extend(bank, extend(bank, zero, "acm digest"), "the mle"));
  EXPECT_EQ(r.values.at(bank.tpmAlg).at(18), extend(bank, zero, "pubkey"));
  EXPECT_EQ(r.skipped, std::vector<size_t>{});  // the header is before firstMeasurementIndex
}

TEST_P(LegacyBankLog, WithoutHeaderTheBankIsNamed) {
  const Bank& bank = GetParam();
  Bytes b = handLog(bank, false);
  EventLog log = parseEventLogInput(b.b, InputFormat::kTxtLegacyBank, "bank.bin", bank.tpmAlg);
  EXPECT_FALSE(log.legacyHeader);
  EXPECT_EQ(log.legacyBank, bank.tpmAlg);
  ASSERT_EQ(log.events.size(), 3u);
  EXPECT_EQ(log.firstMeasurementIndex(), 0u);
  EXPECT_EQ(serializeEventLog(log), b.b);
  // --bank alone (format auto) means the same.
  EXPECT_EQ(parseEventLogInput(b.b, InputFormat::kAuto, "bank.bin", bank.tpmAlg).events, log.events);
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  EXPECT_EQ(r.values.at(bank.tpmAlg).at(18), extend(bank, std::vector<uint8_t>(bank.size, 0), "pubkey"));
}

TEST_P(LegacyBankLog, BuiltLogSerializesToTheHandBytes) {
  const Bank& bank = GetParam();
  EventLog log = makeLegacyBankLog(bank.tpmAlg, true);
  appendMeasured(log, 17, 0x402, bytesOf("acm digest"));
  appendMeasured(log, 17, 0x40a, bytesOf("the mle"));
  appendMeasured(log, 18, 0x40c, bytesOf("pubkey"));
  EXPECT_EQ(serializeEventLog(log), handLog(bank).b);
}

INSTANTIATE_TEST_SUITE_P(Banks, LegacyBankLog, ::testing::Values(kSha256, kSha384, kSha512, kSm3),
                         [](const auto& info) {
                           std::string n = info.param.botan;
                           n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                           return n;
                         });

TEST(LegacyBankLogParse, ASha1LegacyLogIsAPlainSha1Log) {
  Bytes b;
  b.u32(17).u32(0x402).raw(botanHash("SHA-1", bytesOf("x"))).u32(1).str("x");
  EXPECT_EQ(parseEventLogInput(b.b, InputFormat::kAuto, "sha1.bin").format, LogFormat::kSha1);
  EventLog asBank = parseEventLogInput(b.b, InputFormat::kTxtLegacyBank, "sha1.bin", 0x0004);
  EXPECT_EQ(asBank.format, LogFormat::kLegacyBank);
  EXPECT_EQ(asBank.banks(), std::vector<uint16_t>{0x0004});
  ASSERT_EQ(asBank.events.size(), 1u);
}

TEST(LegacyBankLogParse, TheNamedBankOverridesTheHeader) {
  // Header says SHA-256, the records are SHA-384's: --bank sha384 reads them.
  Bytes b = header(2, 32);
  record(b, kSha384, 17, 0x402, "acm digest");
  EventLog log = parseEventLogInput(b.b, InputFormat::kTxtLegacyBank, "o.bin", kSha384.tpmAlg);
  EXPECT_EQ(log.legacyBank, kSha384.tpmAlg);
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[1].digests[0].digest, botanHash("SHA-384", bytesOf("acm digest")));
  // Without the override the SHA-256 reading runs off the end.
  expectInputError([&] { parseEventLogInput(b.b, InputFormat::kAuto, "o.bin"); }, {"o.bin", "event 1"});
}

TEST(LegacyBankLogParse, TrailingZerosAreUnusedSpace) {
  Bytes b = handLog(kSha256);
  b.zeros(100);
  EXPECT_EQ(parseEventLogInput(b.b, InputFormat::kAuto, "z.bin").events.size(), 4u);
}

TEST(LegacyBankLogParse, BadInputNamesFileOffsetAndField) {
  expectInputError([] { parseEventLogInput(handLog(kSha256, false).b, InputFormat::kTxtLegacyBank, "n.bin"); },
                   {"n.bin", "TCG_LOG_DESCRIPTOR", "--bank"});
  expectInputError([] { parseEventLogInput(header(7, 32).b, InputFormat::kAuto, "a.bin"); },
                   {"a.bin", "offset 0x34", "DigestAlgID", "7"});
  expectInputError([] { parseEventLogInput(header(2, 48).b, InputFormat::kAuto, "s.bin"); },
                   {"s.bin", "offset 0x38", "DigestSize", "48"});
  Bytes cut = handLog(kSha512);
  cut.b.resize(60 + 8 + 30);  // in the first record's digest
  expectInputError([&] { parseEventLogInput(cut.b, InputFormat::kAuto, "c.bin"); }, {"c.bin", "offset 0x44", "event 1", "digest"});
  Bytes big = header(2, 32);
  big.u32(17).u32(0x402).zeros(32).u32(1000).str("short");
  expectInputError([&] { parseEventLogInput(big.b, InputFormat::kAuto, "e.bin"); },
                   {"e.bin", "offset 0x64", "event 1", "eventSize", "1000"});
  expectInputError([] { parseEventLogInput(handLog(kSha256).b, InputFormat::kSha1, "f.bin", 0x000B); },
                   {"f.bin", "txt-legacy-bank"});
  expectInputError([] { parseEventLogInput({}, InputFormat::kTxtLegacyBank, "empty.bin", 0x000B); }, {"empty.bin", "empty"});
  expectInputError([] { parseLegacyBankLog(handLog(kSha256).b, 0x0010, "k.bin"); }, {"k.bin", "not a bank"});
}

TEST(LegacyBankLogRender, TextAndJsonNameTheBankAndDescriptor) {
  EventLog log = parseEventLogInput(handLog(kSha384).b, InputFormat::kAuto, "r.bin");
  std::string text = renderEventLogText(log);
  EXPECT_NE(text.find("TXT legacy per-bank log (EVENT_LOG_POINTER2), bank sha384, TCG_LOG_DESCRIPTOR revision 1 "
                      "DigestAlgID 3 DigestSize 48"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sha384:" + testing::toHex(botanHash("SHA-384", bytesOf("the mle")))), std::string::npos) << text;
  auto j = nlohmann::json::parse(renderEventLogJson(log));
  EXPECT_EQ(j["format"], "txt-legacy-bank");
  EXPECT_EQ(j["bank"], "sha384");
  EXPECT_EQ(j["descriptor"]["digest_alg_id"], 3);
  EXPECT_EQ(j["descriptor"]["digest_size"], 48);
  EXPECT_EQ(j["events"][2]["digests"]["sha384"], testing::toHex(botanHash("SHA-384", bytesOf("the mle"))));
  EventLog bare = parseEventLogInput(handLog(kSha384, false).b, InputFormat::kAuto, "r.bin", kSha384.tpmAlg);
  EXPECT_NE(renderEventLogText(bare).find("bank sha384, no TCG_LOG_DESCRIPTOR header"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(renderEventLogJson(bare))["descriptor"].is_null());
}

}  // namespace
}  // namespace dlsim::tpm::evlog
