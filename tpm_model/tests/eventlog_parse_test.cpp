// Event-log parsing: logs assembled by hand in the test are parsed; built logs
// serialize to the same hand-assembled bytes and round-trip; every malformed
// input is an InputError naming the offset and the field.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/tests/eventlog_test_bytes.h"

namespace dlsim::tpm::evlog {
namespace {

using testing::botanHash;
using testing::Bytes;
using testing::bytesOf;
using testing::specIdHeader;

constexpr uint16_t kSha1 = 0x0004, kSha256 = 0x000B, kSha384 = 0x000C;

// Header (sha1, sha256) then two TCG_PCR_EVENT2s, assembled by hand.
struct HandLog {
  Bytes bytes;
  std::vector<uint8_t> d1sha1, d1sha256, d2sha1, d2sha256;
};

HandLog handCryptoAgileLog() {
  HandLog h;
  h.bytes = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  h.d1sha1 = botanHash("SHA-1", bytesOf("abc"));
  h.d1sha256 = botanHash("SHA-256", bytesOf("abc"));
  h.bytes.u32(17).u32(0x402).u32(2).u16(kSha1).raw(h.d1sha1).u16(kSha256).raw(h.d1sha256).u32(3).str("abc");
  h.d2sha1 = botanHash("SHA-1", bytesOf("kernel"));
  h.d2sha256 = botanHash("SHA-256", bytesOf("kernel"));
  h.bytes.u32(18).u32(0x502).u32(2).u16(kSha256).raw(h.d2sha256).u16(kSha1).raw(h.d2sha1).u32(6).str("kernel");
  return h;
}

// Expects an InputError whose message contains every fragment.
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

TEST(EventLogParse, HandBuiltCryptoAgileLog) {
  HandLog h = handCryptoAgileLog();
  EXPECT_EQ(detectLogFormat(h.bytes.b), LogFormat::kCryptoAgile);
  EventLog log = parseEventLog(h.bytes.b, LogFormat::kCryptoAgile, "t.bin");
  EXPECT_EQ(log.format, LogFormat::kCryptoAgile);
  ASSERT_EQ(log.specId.algorithms.size(), 2u);
  EXPECT_EQ(log.specId.algorithms[0], (AlgorithmSize{kSha1, 20}));
  EXPECT_EQ(log.specId.algorithms[1], (AlgorithmSize{kSha256, 32}));
  EXPECT_EQ(log.specId.specVersionMajor, 2);
  EXPECT_EQ(log.specId.uintnSize, 2);
  EXPECT_TRUE(log.specId.vendorInfo.empty());
  ASSERT_EQ(log.events.size(), 3u);
  EXPECT_EQ(log.events[0].eventType, 3u);
  EXPECT_EQ(log.events[0].data.size(), 37u);
  const LogEvent& e1 = log.events[1];
  EXPECT_EQ(e1.offset, 32u + 37u);
  EXPECT_EQ(e1.pcrIndex, 17u);
  EXPECT_EQ(e1.eventType, 0x402u);
  ASSERT_EQ(e1.digests.size(), 2u);
  EXPECT_EQ(e1.digests[0].alg, kSha1);
  EXPECT_EQ(e1.digests[0].digest, h.d1sha1);
  EXPECT_EQ(e1.digests[1].digest, h.d1sha256);
  EXPECT_EQ(e1.data, bytesOf("abc"));
  const LogEvent& e2 = log.events[2];
  EXPECT_EQ(e2.offset, 69u + 12 + 2 + 20 + 2 + 32 + 4 + 3);
  EXPECT_EQ(e2.pcrIndex, 18u);
  EXPECT_EQ(e2.digestFor(kSha1)->digest, h.d2sha1);
  EXPECT_EQ(e2.digestFor(kSha256)->digest, h.d2sha256);
  EXPECT_EQ(e2.digestFor(kSha384), nullptr);
  EXPECT_EQ(e2.data, bytesOf("kernel"));
}

TEST(EventLogParse, SpecIdWithVendorInfoAndWideBanks) {
  Bytes b = specIdHeader({{kSha384, 48}, {0x000D, 64}, {0x0012, 32}, {0x0027, 28}}, {0xDE, 0xAD, 0xBE});
  std::vector<uint8_t> d384(48, 0x11), d512(64, 0x22), dsm3(32, 0x33), dunk(28, 0x44);
  b.u32(0).u32(0x0D).u32(4).u16(0x0027).raw(dunk).u16(0x000D).raw(d512).u16(kSha384).raw(d384).u16(0x0012).raw(dsm3).u32(0);
  EventLog log = parseEventLog(b.b, LogFormat::kCryptoAgile, "wide");
  EXPECT_EQ(log.specId.vendorInfo, (std::vector<uint8_t>{0xDE, 0xAD, 0xBE}));
  ASSERT_EQ(log.specId.algorithms.size(), 4u);
  EXPECT_EQ(log.specId.algorithms[3], (AlgorithmSize{0x0027, 28}));  // an alg dlsim cannot hash still parses
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[1].digestFor(0x0027)->digest, dunk);
  EXPECT_EQ(log.events[1].digestFor(0x000D)->digest, d512);
  EXPECT_TRUE(log.events[1].data.empty());
}

TEST(EventLogParse, HandBuiltSha1Log) {
  Bytes b;
  auto d = botanHash("SHA-1", bytesOf("tboot"));
  b.u32(17).u32(0x501).raw(d).u32(5).str("tboot");
  b.u32(18).u32(4).zeros(20).u32(4).u32(0);
  EXPECT_EQ(detectLogFormat(b.b), LogFormat::kSha1);
  EventLog log = parseEventLogInput(b.b, InputFormat::kAuto, "sha1.bin");
  EXPECT_EQ(log.format, LogFormat::kSha1);
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[0].pcrIndex, 17u);
  EXPECT_EQ(log.events[0].digests.at(0).digest, d);
  EXPECT_EQ(log.events[0].data, bytesOf("tboot"));
  EXPECT_EQ(log.events[1].offset, 37u);
  EXPECT_EQ(log.events[1].data, (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(log.banks(), std::vector<uint16_t>{kSha1});
}

TEST(EventLogParse, TrailingZeroBufferSpaceIsNotAnEvent) {
  HandLog h = handCryptoAgileLog();
  h.bytes.zeros(4096);
  EventLog log = parseEventLog(h.bytes.b, LogFormat::kCryptoAgile, "padded");
  EXPECT_EQ(log.events.size(), 3u);
}

TEST(EventLogParse, BuiltLogSerializesToTheHandAssembledBytes) {
  HandLog h = handCryptoAgileLog();
  EventLog log = makeCryptoAgileLog({kSha1, kSha256});
  appendMeasured(log, 17, 0x402, bytesOf("abc"));
  LogEvent e2;
  e2.pcrIndex = 18;
  e2.eventType = 0x502;
  e2.digests = {{kSha256, h.d2sha256}, {kSha1, h.d2sha1}};
  e2.data = bytesOf("kernel");
  log.events.push_back(e2);
  EXPECT_EQ(serializeEventLog(log), h.bytes.b);
}

TEST(EventLogParse, RoundTripBuildSerializeParse) {
  EventLog log = makeCryptoAgileLog({kSha1, kSha256, kSha384, 0x000D, 0x0012}, {1, 2, 3, 4});
  for (uint32_t i = 0; i < 20; ++i) appendMeasured(log, 17 + i % 6, 0x400 + i, std::vector<uint8_t>(i * 7, uint8_t(i)));
  auto bytes = serializeEventLog(log);
  EventLog back = parseEventLog(bytes, LogFormat::kCryptoAgile, "rt");
  EXPECT_EQ(back.specId, log.specId);
  EXPECT_EQ(back.events, log.events);
  EXPECT_EQ(serializeEventLog(back), bytes);

  EventLog sha1 = makeSha1Log();
  appendMeasured(sha1, 17, 0x501, bytesOf("policy"));
  appendMeasured(sha1, 19, 0x501, {});
  auto sbytes = serializeEventLog(sha1);
  EXPECT_EQ(sbytes.size(), 2 * 32u + 6);
  EventLog sback = parseEventLog(sbytes, LogFormat::kSha1, "rt1");
  EXPECT_EQ(sback.events, sha1.events);
}

TEST(EventLogParse, SerializeRefusesInconsistentLogs) {
  EventLog log = makeCryptoAgileLog({kSha1});
  LogEvent e;
  e.digests = {{kSha256, std::vector<uint8_t>(32)}};
  log.events.push_back(e);
  EXPECT_THROW(serializeEventLog(log), InternalError);
  EventLog bad = makeCryptoAgileLog({kSha1});
  bad.specId.algorithms.push_back({kSha256, 32});  // header event data no longer matches
  EXPECT_THROW(serializeEventLog(bad), InternalError);
}

// ---- malformed input ----

TEST(EventLogParseErrors, TruncatedHeader) {
  HandLog h = handCryptoAgileLog();
  std::vector<uint8_t> cut(h.bytes.b.begin(), h.bytes.b.begin() + 30);
  expectInputError([&] { parseEventLog(cut, LogFormat::kCryptoAgile, "cut.bin"); },
                   {"cut.bin", "offset 0x1c", "eventSize", "truncated"});
  expectInputError([&] { parseEventLogInput({}, InputFormat::kTcg2, "empty.bin"); }, {"empty.bin", "offset 0x0", "pcrIndex"});
  expectInputError([&] { parseEventLogInput({}, InputFormat::kAuto, "empty.bin"); }, {"empty.bin", "empty"});
}

TEST(EventLogParseErrors, HeaderNotNoAction) {
  Bytes b = specIdHeader({{kSha1, 20}});
  b.b[4] = 4;
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); }, {"offset 0x4", "eventType", "EV_SEPARATOR"});
}

TEST(EventLogParseErrors, BadSignature) {
  Bytes b = specIdHeader({{kSha1, 20}});
  b.b[32 + 14] = '2';
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); }, {"offset 0x20", "signature"});
}

TEST(EventLogParseErrors, AlgorithmCountZeroOrHuge) {
  Bytes zero = specIdHeader({});
  expectInputError([&] { parseEventLog(zero.b, LogFormat::kCryptoAgile, "h"); },
                   {"offset 0x38", "numberOfAlgorithms", "0"});
  Bytes huge = specIdHeader({{kSha1, 20}});
  huge.b[56] = huge.b[57] = huge.b[58] = huge.b[59] = 0xFF;  // numberOfAlgorithms = 0xFFFFFFFF
  expectInputError([&] { parseEventLog(huge.b, LogFormat::kCryptoAgile, "h"); },
                   {"offset 0x38", "numberOfAlgorithms", "4294967295"});
}

TEST(EventLogParseErrors, DigestSizeContradictsAlgorithm) {
  Bytes b = specIdHeader({{kSha1, 20}, {kSha256, 20}});
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); },
                   {"offset 0x42", "digestSizes[1].digestSize", "sha256"});
  Bytes z = specIdHeader({{0x0027, 0}});
  expectInputError([&] { parseEventLog(z.b, LogFormat::kCryptoAgile, "h"); }, {"digestSizes[0].digestSize"});
  Bytes dup = specIdHeader({{kSha1, 20}, {kSha1, 20}});
  expectInputError([&] { parseEventLog(dup.b, LogFormat::kCryptoAgile, "h"); }, {"offset 0x40", "twice"});
}

TEST(EventLogParseErrors, SpecIdEventSizeDisagrees) {
  Bytes b = specIdHeader({{kSha1, 20}});
  b.b[28] += 2;  // eventSize 2 larger: two stray bytes belong to the header event
  b.u16(0);
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); }, {"beyond the end of the Spec ID"});
  Bytes v = specIdHeader({{kSha1, 20}}, {1, 2, 3});
  v.b[28] -= 1;  // vendorInfo runs past the header event's data
  v.b.pop_back();
  expectInputError([&] { parseEventLog(v.b, LogFormat::kCryptoAgile, "h"); }, {"vendorInfo", "truncated"});
}

TEST(EventLogParseErrors, DigestCountAboveHeader) {
  Bytes b = specIdHeader({{kSha1, 20}});
  size_t at = b.size();
  b.u32(17).u32(4).u32(2).u16(kSha1).zeros(20).u16(kSha1).zeros(20).u32(0);
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "c.bin"); },
                   {"c.bin", "offset 0x" + [&] { char s[16]; snprintf(s, sizeof s, "%zx", at + 8); return std::string(s); }(),
                    "event 1", "digests.count", "2 exceeds", "1 algorithms"});
}

TEST(EventLogParseErrors, AlgorithmNotInHeader) {
  Bytes b = specIdHeader({{kSha1, 20}});
  b.u32(17).u32(4).u32(1).u16(kSha256).zeros(32).u32(0);
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); },
                   {"offset 0x4d", "digests[0].hashAlg", "0xb", "not in the Spec ID header"});
  Bytes d = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  d.u32(17).u32(4).u32(2).u16(kSha1).zeros(20).u16(kSha1).zeros(20).u32(0);
  expectInputError([&] { parseEventLog(d.b, LogFormat::kCryptoAgile, "h"); }, {"digests[1].hashAlg", "twice"});
}

TEST(EventLogParseErrors, TruncatedDigestAndData) {
  Bytes b = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  b.u32(17).u32(4).u32(2).u16(kSha1).zeros(20).u16(kSha256).zeros(10);
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); }, {"digests[1].digest", "truncated", "needs 32"});
  Bytes p = specIdHeader({{kSha1, 20}});
  p.u32(17).u16(0);
  expectInputError([&] { parseEventLog(p.b, LogFormat::kCryptoAgile, "h"); }, {"offset 0x45", "eventType", "truncated"});
}

TEST(EventLogParseErrors, EventSizeOverflow) {
  Bytes b = specIdHeader({{kSha1, 20}});
  b.u32(17).u32(4).u32(1).u16(kSha1).zeros(20).u32(0xFFFFFFFF).str("x");
  expectInputError([&] { parseEventLog(b.b, LogFormat::kCryptoAgile, "h"); },
                   {"offset 0x63", "eventSize", "4294967295", "runs past the end", "1 bytes left"});
  Bytes s;
  s.u32(0).u32(1).zeros(20).u32(0x80000000).str("xyz");
  expectInputError([&] { parseEventLog(s.b, LogFormat::kSha1, "s.bin"); }, {"s.bin", "offset 0x1c", "event 0 eventSize"});
}

TEST(EventLogParseErrors, FileErrorsNameTheFile) {
  expectInputError([] { loadEventLogFile("/nonexistent/dir/log.bin", InputFormat::kAuto); }, {"/nonexistent/dir/log.bin"});
  EXPECT_FALSE(inputFormatFromName("yaml"));
  EXPECT_EQ(inputFormatFromName("txt-container"), InputFormat::kTxtContainer);
}

}  // namespace
}  // namespace dlsim::tpm::evlog
