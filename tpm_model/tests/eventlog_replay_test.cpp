// Replaying logs into PCRs: expected values computed here with Botan from the
// extend formula PCR := H(PCR || digest); divergence detection against
// "observed" TPM values.
#include <gtest/gtest.h>

#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/tests/eventlog_test_bytes.h"

namespace dlsim::tpm::evlog {
namespace {

using testing::botanHash;
using testing::Bytes;
using testing::bytesOf;
using testing::concat;
using testing::specIdHeader;

constexpr uint16_t kSha1 = 0x0004, kSha256 = 0x000B, kSha384 = 0x000C, kSha512 = 0x000D, kSm3 = 0x0012;

std::vector<uint8_t> extend(const std::string& botan, std::vector<uint8_t> pcr, const std::vector<uint8_t>& d) {
  return botanHash(botan, concat(std::move(pcr), d));
}

// A hand-built TXT-like log: PCR17 HASH_START, a NO_ACTION, PCR18 event,
// SLAUNCH_START marker, PCR17 MLE_HASH, SLAUNCH_END marker.
struct Fixture {
  Bytes bytes;
  std::vector<uint8_t> a1, a256, b1, b256, c1, c256, m1, m256;
};

Fixture txtLikeLog() {
  Fixture f;
  f.bytes = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  auto add = [&](uint32_t pcr, uint32_t type, const std::vector<uint8_t>& d1, const std::vector<uint8_t>& d256) {
    f.bytes.u32(pcr).u32(type).u32(2).u16(kSha1).raw(d1).u16(kSha256).raw(d256).u32(0);
  };
  f.a1 = botanHash("SHA-1", bytesOf("acm||edx"));
  f.a256 = botanHash("SHA-256", bytesOf("acm||edx"));
  f.b1 = botanHash("SHA-1", bytesOf("caps"));
  f.b256 = botanHash("SHA-256", bytesOf("caps"));
  f.c1 = botanHash("SHA-1", bytesOf("mle"));
  f.c256 = botanHash("SHA-256", bytesOf("mle"));
  f.m1 = std::vector<uint8_t>(20, 0x5A);
  f.m256 = std::vector<uint8_t>(32, 0x5A);
  add(17, 0x402, f.a1, f.a256);       // event 1
  add(0, 3, f.m1, f.m256);            // event 2: NO_ACTION (even on PCR 0)
  add(18, 0x40F, f.b1, f.b256);       // event 3
  add(17, 0x503, f.m1, f.m256);       // event 4: SLAUNCH_START
  add(17, 0x404, f.c1, f.c256);       // event 5
  add(17, 0x504, f.m1, f.m256);       // event 6: SLAUNCH_END
  return f;
}

TEST(EventLogReplay, InitialValues) {
  PcrValues s = initialPcrValues({kSha1, kSha256, 0x0027}, InitialPcrs::kAfterStartup);
  ASSERT_EQ(s.size(), 2u);  // 0x0027 is not an implemented hash
  EXPECT_EQ(s[kSha1][16], std::vector<uint8_t>(20, 0));
  for (unsigned p = 17; p <= 22; ++p) EXPECT_EQ(s[kSha256][p], std::vector<uint8_t>(32, 0xFF)) << p;
  EXPECT_EQ(s[kSha256][23], std::vector<uint8_t>(32, 0));
  PcrValues d = initialPcrValues({kSha384}, InitialPcrs::kAfterDynamicLaunch);
  EXPECT_EQ(d[kSha384][17], std::vector<uint8_t>(48, 0));
  EXPECT_EQ(d[kSha384].size(), 24u);
}

TEST(EventLogReplay, DynamicLaunchLogMatchesTheExtendFormula) {
  Fixture f = txtLikeLog();
  EventLog log = parseEventLog(f.bytes.b, LogFormat::kCryptoAgile, "t");
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  auto p17_1 = extend("SHA-1", extend("SHA-1", std::vector<uint8_t>(20, 0), f.a1), f.c1);
  auto p17_256 = extend("SHA-256", extend("SHA-256", std::vector<uint8_t>(32, 0), f.a256), f.c256);
  auto p18_256 = extend("SHA-256", std::vector<uint8_t>(32, 0), f.b256);
  EXPECT_EQ(r.values[kSha1][17], p17_1);
  EXPECT_EQ(r.values[kSha256][17], p17_256);
  EXPECT_EQ(r.values[kSha256][18], p18_256);
  EXPECT_EQ(r.values[kSha256][0], std::vector<uint8_t>(32, 0));  // NO_ACTION not extended
  EXPECT_EQ(r.skipped, (std::vector<size_t>{2, 4, 6}));
  ASSERT_EQ(r.history[kSha256][17].size(), 2u);
  EXPECT_EQ(r.history[kSha256][17][0].first, 1u);
  EXPECT_EQ(r.history[kSha256][17][1].first, 5u);

  // From Startup values (all ones) instead, and with the markers extended.
  ReplayResult s = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterStartup), {false});
  auto ones = std::vector<uint8_t>(32, 0xFF);
  auto want = extend("SHA-256", extend("SHA-256", extend("SHA-256", extend("SHA-256", ones, f.a256), f.m256), f.c256), f.m256);
  EXPECT_EQ(s.values[kSha256][17], want);
  EXPECT_EQ(s.skipped, (std::vector<size_t>{2}));
}

TEST(EventLogReplay, AllBanksDlsimImplements) {
  Bytes b = specIdHeader({{kSha384, 48}, {kSha512, 64}, {kSm3, 32}});
  std::vector<uint8_t> d384 = botanHash("SHA-384", bytesOf("x")), d512 = botanHash("SHA-512", bytesOf("x")),
                       dsm3 = botanHash("SM3", bytesOf("x"));
  b.u32(20).u32(0x502).u32(3).u16(kSha384).raw(d384).u16(kSha512).raw(d512).u16(kSm3).raw(dsm3).u32(1).str("x");
  EventLog log = parseEventLog(b.b, LogFormat::kCryptoAgile, "t");
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAllZero));
  EXPECT_EQ(r.values[kSha384][20], extend("SHA-384", std::vector<uint8_t>(48, 0), d384));
  EXPECT_EQ(r.values[kSha512][20], extend("SHA-512", std::vector<uint8_t>(64, 0), d512));
  EXPECT_EQ(r.values[kSm3][20], extend("SM3", std::vector<uint8_t>(32, 0), dsm3));
}

TEST(EventLogReplay, Sha1LogAndCustomStart) {
  Bytes b;
  auto d = botanHash("SHA-1", bytesOf("tboot policy"));
  b.u32(17).u32(0x501).raw(d).u32(0);
  b.u32(200).u32(0x501).raw(d).u32(0);  // PCR without a start value: skipped
  EventLog log = parseEventLog(b.b, LogFormat::kSha1, "t");
  PcrValues start;
  start[kSha1][17] = std::vector<uint8_t>(20, 0x42);
  ReplayResult r = replayEventLog(log, start);
  EXPECT_EQ(r.values[kSha1][17], extend("SHA-1", std::vector<uint8_t>(20, 0x42), d));
  EXPECT_EQ(r.values[kSha1].size(), 1u);
  EXPECT_EQ(r.skipped, (std::vector<size_t>{1}));
}

TEST(EventLogReplay, ComparisonFindsTheDivergingEvent) {
  Fixture f = txtLikeLog();
  EventLog log = parseEventLog(f.bytes.b, LogFormat::kCryptoAgile, "t");
  PcrValues start = initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch);
  ReplayResult r = replayEventLog(log, start);

  auto after1 = extend("SHA-256", std::vector<uint8_t>(32, 0), f.a256);
  auto full17 = extend("SHA-256", after1, f.c256);
  PcrValues observed;
  observed[kSha256][17] = after1;                            // the TPM missed MLE_HASH
  observed[kSha256][18] = std::vector<uint8_t>(32, 0);       // it missed the whole PCR 18 history
  observed[kSha256][19] = std::vector<uint8_t>(32, 0x77);    // unexplained
  observed[kSha256][20] = std::vector<uint8_t>(32, 0);       // agrees (no events, start value)
  observed[kSha1][17] = extend("SHA-1", extend("SHA-1", std::vector<uint8_t>(20, 0), f.a1), f.c1);  // agrees
  observed[kSha384][17] = std::vector<uint8_t>(48, 1);       // bank the log does not have: ignored
  auto diffs = comparePcrs(r, observed);
  ASSERT_EQ(diffs.size(), 3u);
  EXPECT_EQ(diffs[0].bank, kSha256);
  EXPECT_EQ(diffs[0].pcr, 17u);
  EXPECT_EQ(diffs[0].replayed, full17);
  EXPECT_EQ(diffs[0].observed, after1);
  EXPECT_EQ(diffs[0].matchingPrefix, 1u);
  EXPECT_EQ(diffs[0].firstDivergentEvent, 5u);
  EXPECT_EQ(diffs[1].pcr, 18u);
  EXPECT_EQ(diffs[1].matchingPrefix, 0u);
  EXPECT_EQ(diffs[1].firstDivergentEvent, 3u);
  EXPECT_EQ(diffs[2].pcr, 19u);
  EXPECT_FALSE(diffs[2].matchingPrefix);
  EXPECT_FALSE(diffs[2].firstDivergentEvent);
  std::string text = describeDisagreement(diffs[0]);
  EXPECT_NE(text.find("sha256 PCR17"), std::string::npos) << text;
  EXPECT_NE(text.find("first divergent event #5"), std::string::npos) << text;
}

// tboot's extend policy "fixed": TPM2_PCR_Extend with a one-digest
// TPML_DIGEST_VALUES, logged with that one digest. The TPM leaves the other
// bank unchanged (TPM 2.0 Part 3 §22.2), and so must the replay.
TEST(EventLogReplay, EventWithOneDigestExtendsOnlyThatBank) {
  Bytes b = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  auto a1 = botanHash("SHA-1", bytesOf("sinit"));
  auto a256 = botanHash("SHA-256", bytesOf("sinit"));
  auto p256 = botanHash("SHA-256", bytesOf("policy"));
  b.u32(17).u32(0x402).u32(2).u16(kSha1).raw(a1).u16(kSha256).raw(a256).u32(0);  // event 1: both banks
  b.u32(17).u32(0x501).u32(1).u16(kSha256).raw(p256).u32(0);                     // event 2: SHA-256 only
  EventLog log = parseEventLog(b.b, LogFormat::kCryptoAgile, "t");
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  // The TPM's values, by the extend formula.
  auto tpm1 = extend("SHA-1", std::vector<uint8_t>(20, 0), a1);
  auto tpm256 = extend("SHA-256", extend("SHA-256", std::vector<uint8_t>(32, 0), a256), p256);
  EXPECT_EQ(r.values[kSha1][17], tpm1);
  EXPECT_EQ(r.values[kSha256][17], tpm256);
  EXPECT_EQ(r.missingDigest[kSha1][17], 2u);
  EXPECT_EQ(r.history[kSha1][17].size(), 1u);
  EXPECT_EQ(r.history[kSha256][17].size(), 2u);
  PcrValues observed;
  observed[kSha1][17] = tpm1;
  observed[kSha256][17] = tpm256;
  EXPECT_TRUE(comparePcrs(r, observed).empty());
}

// A log that really disagrees still does: the TPM's SHA-1 PCR 17 was
// extended by the event the log gives only a SHA-256 digest for.
TEST(EventLogReplay, MissingBankDigestIsNamedWhenTheBankDisagrees) {
  Bytes b = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  auto a1 = botanHash("SHA-1", bytesOf("sinit"));
  auto a256 = botanHash("SHA-256", bytesOf("sinit"));
  auto p1 = botanHash("SHA-1", bytesOf("policy"));
  auto p256 = botanHash("SHA-256", bytesOf("policy"));
  b.u32(17).u32(0x402).u32(2).u16(kSha1).raw(a1).u16(kSha256).raw(a256).u32(0);
  b.u32(17).u32(0x501).u32(1).u16(kSha256).raw(p256).u32(0);
  EventLog log = parseEventLog(b.b, LogFormat::kCryptoAgile, "t");
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  PcrValues observed;
  auto after1 = extend("SHA-1", std::vector<uint8_t>(20, 0), a1);
  observed[kSha1][17] = extend("SHA-1", after1, p1);  // both banks extended
  observed[kSha256][17] = extend("SHA-256", extend("SHA-256", std::vector<uint8_t>(32, 0), a256), p256);
  auto diffs = comparePcrs(r, observed);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].bank, kSha1);
  EXPECT_EQ(diffs[0].replayed, after1);
  EXPECT_EQ(diffs[0].missingDigestAt, 2u);
  EXPECT_FALSE(diffs[0].matchingPrefix);
  std::string text = describeDisagreement(diffs[0]);
  EXPECT_NE(text.find("event #2 has no sha1 digest"), std::string::npos) << text;
}

}  // namespace
}  // namespace dlsim::tpm::evlog
