// SKL's DRTM log area read back (skl_event_log.h): where the hand-off puts
// it, the extent of a log written SKL's way (built here from amd-skinit.md
// 4.4, skl_log_replay.h), and crafted bad lengths, each a Malformed state
// naming the field and value, never a crash or a read past the area.
#include "svm_model/handoff/skl_event_log.h"

#include <gtest/gtest.h>

#include <cstring>

#include "sim/guest_memory.h"
#include "svm_model/handoff/tests/handoff_test_util.h"
#include "svm_model/handoff/tests/skl_log_replay.h"
#include "tpm_model/eventlog/event_log_parser.h"

namespace dlsim::svm {
namespace {

using namespace dlsim::svm::testing;

constexpr uint64_t kBase = 0x400000;
constexpr uint32_t kSize = 0x1000;

SklLogArea tcgArea(uint32_t size = kSize) { return {"SLRT LOG_INFO", kBase, size, kLogFormatTpm20Tcg}; }

std::vector<SklTestEvent> threeEvents() {
  const std::vector<uint8_t> sl(0x100, 0xAB), entry = {0x40, 0, 0, 0}, dlme(0x380, 0x90);
  return {sklTestEvent("SKINIT", sl), sklTestEvent("DLME entry offset", entry), sklTestEvent("DLME", dlme)};
}

// Header event 32 + Spec ID 57 = 89; each record 4+4+4 + 2+20 + 2+32 + 4 + name.
constexpr uint64_t kLogUsed = 89 + (72 + 6) + (72 + 17) + (72 + 4);

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) { std::memcpy(b.data() + at, &v, 4); }

TEST(SklLogArea, ComesFromLogInfoOrTheEventLogTag) {
  HandoffDesc d = goodDesc(SklLayout::Slrt2025);
  Handoff h = buildHandoff(d);
  EXPECT_EQ(sklLogArea(h, d), (SklLogArea{"SLRT LOG_INFO", 0x800000, 0x10000, 2}));
  // An override is what SKL finds, so what is read back.
  applyOverride(h, override("log_info.addr", uint64_t(0x900000)));
  applyOverride(h, override("log_info.format", uint64_t(1)));
  EXPECT_EQ(sklLogArea(h, d), (SklLogArea{"SLRT LOG_INFO", 0x900000, 0x10000, 1}));
  d = goodDesc(SklLayout::Slrt2024);
  EXPECT_EQ(sklLogArea(buildHandoff(d), d).where, "SLRT LOG_INFO");
  // tags2023: no format in the tag; SKL master writes the TPM family's.
  d = goodDesc(SklLayout::Tags2023);
  d.tpm = TpmFamily::Tpm12;
  EXPECT_EQ(sklLogArea(buildHandoff(d), d), (SklLogArea{"tag list EVENT_LOG", 0x800000, 0x10000, 1}));
}

TEST(SklLogExtent, ATcgLogEndsAtNextRecordOffset) {
  const std::vector<uint8_t> area = sklTestTcgLog(kBase, kSize, threeEvents());
  SklEventLog l = sklLogExtent(tcgArea(), area);
  ASSERT_EQ(l.state, SklLogState::Written) << l.error;
  EXPECT_EQ(l.used, kLogUsed);
  // The extent is a whole TCG log to the TPM model's parser (what
  // tpm.event_log and `dlsim eventlog` read): header + 3 records.
  const std::span<const uint8_t> extent(area.data(), l.used);
  auto parsed = tpm::evlog::parseEventLog(extent, tpm::evlog::LogFormat::kCryptoAgile, "test");
  EXPECT_EQ(parsed.events.size(), 4u);
  // And the test-side reader replays it to the extends of the three digests.
  SklReplay r = replaySklTcgLog(extent);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[1].data, "DLME entry offset");
  std::vector<uint8_t> pcr(32, 0);
  for (const auto& e : threeEvents()) {
    std::vector<uint8_t> in = pcr;
    in.insert(in.end(), e.sha256.begin(), e.sha256.end());
    pcr = sklTestHash("SHA-256", in);
  }
  EXPECT_EQ(r.sha256.at(17), pcr);
}

TEST(SklLogExtent, ATpm12LogEndsAtTheContainersNextEventOffset) {
  // SKL's TPM 1.2 header: event 0 (size 73), "Spec ID Event00" v1.2
  // errata 1, vendorInfoSize 48, the container header at +57 with offsets
  // from itself; one TCG_PCR_EVENT "SKINIT" (32 + 6 bytes) after it.
  std::vector<uint8_t> b(kSize, 0);
  put32(b, 4, 3);
  put32(b, 28, 73);
  std::memcpy(b.data() + 32, "Spec ID Event00", 16);
  b[52] = 2, b[53] = 1, b[54] = 1;
  b[56] = 48;
  std::memcpy(b.data() + 57, "TXT Event Container", 20);
  b[57 + 32] = 1, b[57 + 34] = 1;
  put32(b, 57 + 36, kSize);
  put32(b, 57 + 40, 48);
  put32(b, 57 + 44, 48 + 38);
  put32(b, 105, 17);
  put32(b, 109, 0x502);
  put32(b, 105 + 28, 6);
  std::memcpy(b.data() + 105 + 32, "SKINIT", 6);
  SklEventLog l = sklLogExtent({"tag list EVENT_LOG", kBase, kSize, kLogFormatTpm12Txt}, b);
  ASSERT_EQ(l.state, SklLogState::Written) << l.error;
  EXPECT_EQ(l.used, 57u + 48 + 38);
  auto parsed = tpm::evlog::parseEventLog(std::span<const uint8_t>(b.data(), l.used), tpm::evlog::LogFormat::kSha1,
                                          "test");
  EXPECT_EQ(parsed.events.size(), 2u);
  // A container whose next offset runs past the area.
  put32(b, 57 + 44, kSize);
  l = sklLogExtent({"tag list EVENT_LOG", kBase, kSize, kLogFormatTpm12Txt}, b);
  EXPECT_EQ(l.state, SklLogState::Malformed);
  EXPECT_NE(l.error.find("next_event_offset 0x1000"), std::string::npos) << l.error;
}

TEST(SklLogExtent, AZeroHeaderIsEmpty) {
  const std::vector<uint8_t> zero(kSize, 0);
  EXPECT_EQ(sklLogExtent(tcgArea(), zero).state, SklLogState::Empty);
  EXPECT_EQ(sklLogExtent({"x", kBase, kSize, 7}, zero).state, SklLogState::Empty);
}

// Each crafted header breaks one length or field; the error names it.
TEST(SklLogExtent, BadHeadersAreMalformedAndNamed) {
  struct Case {
    const char* name;
    size_t at;
    uint32_t value;
    const char* error;
  };
  const Case cases[] = {
      {"event type", 4, 0x502, "type 0x502"},
      {"header event size", 28, 0xffffffff, "event size 4294967295 runs past"},
      {"signature", 32, 0x41414141, "not \"Spec ID Event03\""},
      {"numberOfAlgorithms", 56, 0x40000000, "numberOfAlgorithms 1073741824 does not fit"},
      {"numberOfAlgorithms zero", 56, 0, "numberOfAlgorithms 0"},
      {"vendor log address", 69, 0x500000, "the log address 0x500000 is not the area's 0x400000"},
      {"allocated size", 77, 0x2000, "allocated size 0x2000 is larger"},
      {"next_record_offset past the area", 85, 0x1001, "next_record_offset 0x1001 is not in [0x59, 0x1000]"},
      {"next_record_offset before the header", 85, 0x10, "next_record_offset 0x10"},
      {"next_record_offset huge", 85, 0xffffffff, "next_record_offset 0xffffffff"},
  };
  for (const Case& c : cases) {
    std::vector<uint8_t> b = sklTestTcgLog(kBase, kSize, threeEvents());
    put32(b, c.at, c.value);
    SklEventLog l = sklLogExtent(tcgArea(), b);
    EXPECT_EQ(l.state, SklLogState::Malformed) << c.name;
    EXPECT_NE(l.error.find(c.error), std::string::npos) << c.name << ": " << l.error;
  }
  // vendorInfoSize 0xff runs past the 57-byte event.
  std::vector<uint8_t> b = sklTestTcgLog(kBase, kSize, threeEvents());
  b[68] = 0xff;
  EXPECT_NE(sklLogExtent(tcgArea(), b).error.find("vendorInfoSize 255 runs past"), std::string::npos);
  // An area smaller than the header event.
  EXPECT_NE(sklLogExtent(tcgArea(16), b).error.find("the area is 16 bytes"), std::string::npos);
  // A format SKL does not write.
  EXPECT_NE(sklLogExtent({"SLRT LOG_INFO", kBase, kSize, 7}, b).error.find("format 7 is neither"), std::string::npos);
}

// Without a 20-byte vendor info the extent is not written down: the whole
// area (the TCG parser takes its zero tail as unused).
TEST(SklLogExtent, WithoutThePointerTheWholeAreaIsTheLog) {
  std::vector<uint8_t> b = sklTestTcgLog(kBase, kSize, threeEvents());
  b[68] = 0;
  SklEventLog l = sklLogExtent(tcgArea(), b);
  EXPECT_EQ(l.state, SklLogState::Written);
  EXPECT_EQ(l.used, kSize);
}

// Fuzz-like: every single-byte change in the header, and every byte value
// at a few spots, gives a state with an extent inside the area.
TEST(SklLogExtent, MutatedHeadersStayInsideTheArea) {
  const std::vector<uint8_t> good = sklTestTcgLog(kBase, kSize, threeEvents());
  for (size_t at = 0; at < 89; ++at)
    for (uint8_t v : {uint8_t(0), uint8_t(1), uint8_t(0x7f), uint8_t(0x80), uint8_t(0xff)}) {
      std::vector<uint8_t> b = good;
      b[at] = v;
      for (uint32_t size : {kSize, 89u, 100u, 40u}) {
        SklEventLog l = sklLogExtent(tcgArea(size), std::span<const uint8_t>(b.data(), std::min<size_t>(size, b.size())));
        if (l.state == SklLogState::Written) {
          EXPECT_LE(l.used, size) << at;
        }
        if (l.state == SklLogState::Malformed) {
          EXPECT_FALSE(l.error.empty()) << at;
        }
      }
    }
}

TEST(ReadSklEventLog, ReadsTheExtentFromRam) {
  GuestMemory m;
  m.addRam(kBase, 0x2000, "log");
  const std::vector<uint8_t> area = sklTestTcgLog(kBase, kSize, threeEvents());
  ASSERT_TRUE(m.write(kBase, area.data(), area.size()));
  SklEventLog l = readSklEventLog(m, tcgArea());
  ASSERT_EQ(l.state, SklLogState::Written) << l.error;
  EXPECT_EQ(l.bytes, std::vector<uint8_t>(area.begin(), area.begin() + long(kLogUsed)));
  // An area outside RAM.
  l = readSklEventLog(m, {"SLRT LOG_INFO", 0x10000000, kSize, 2});
  EXPECT_EQ(l.state, SklLogState::NotInRam);
  EXPECT_NE(l.error.find("[0x10000000, +0x1000) is not all RAM"), std::string::npos) << l.error;
  // A whole-area log (no pointer) of an area running out of RAM: the head
  // is there, the rest is not.
  std::vector<uint8_t> b = area;
  b[68] = 0;
  ASSERT_TRUE(m.write(kBase, b.data(), b.size()));
  l = readSklEventLog(m, tcgArea(0x3000));
  EXPECT_EQ(l.state, SklLogState::NotInRam);
  EXPECT_TRUE(l.bytes.empty());
}

}  // namespace
}  // namespace dlsim::svm
