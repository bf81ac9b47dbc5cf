// The MLE header: Debian tboot 1.10.5's header (spec §4: version 2.1, entry
// 0x10, start 0x4000, end 0x4D000, caps 0x627) laid out by hand parses and
// passes; each header rule is broken by one change; rule names and codes
// are distinct from each other and from the heap's.
#include <gtest/gtest.h>

#include <set>

#include "txt_model/heap/heap_rules.h"
#include "txt_model/mle/mle_header.h"
#include "txt_model/mle/mle_rules.h"

namespace dlsim::txt::mle {
namespace {

std::vector<uint8_t> tbootHeaderBytes() {
  std::vector<uint8_t> b = {0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74,
                            0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42};
  for (uint32_t v : {0x34u, 0x20001u, 0x10u, 0u, 0x4000u, 0x4D000u, 0x627u, 0x1000u, 0x13FFu})
    for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
  return b;
}

MleHeaderPolicy tbootPolicy() {
  MleHeaderPolicy p;
  p.minVersion = 0x20000;
  p.mleSize = 0x49000;
  p.headerBase = 0x1B340;
  p.osSinitCapabilities = 0x602;  // MONITOR wake-up, TCG log, CBnT
  return p;
}

std::vector<std::string> names(const std::vector<MleFailure>& f) {
  std::vector<std::string> n;
  for (const auto& x : f) n.push_back(x.name());
  return n;
}

TEST(MleHeader, ParsesTbootsHeader) {
  auto h = parseMleHeader(tbootHeaderBytes());
  ASSERT_TRUE(h);
  EXPECT_EQ(h->uuid, kMleHeaderUuid);
  EXPECT_EQ(h->length, 0x34u);
  EXPECT_EQ(h->version, 0x20001u);
  EXPECT_EQ(h->entryPoint, 0x10u);
  EXPECT_EQ(h->mleStartOffset, 0x4000u);
  EXPECT_EQ(h->mleEndOffset, 0x4D000u);
  EXPECT_EQ(h->capabilities, 0x627u);
  EXPECT_EQ(h->cmdlineStartOffset, 0x1000u);
  EXPECT_EQ(h->cmdlineEndOffset, 0x13FFu);
  EXPECT_EQ(encodeMleHeader(*h), tbootHeaderBytes());
  EXPECT_TRUE(validateMleHeader(*h, tbootPolicy()).empty());
  EXPECT_EQ(mleCapabilityNames(h->capabilities),
            "rlp_wake_getsec rlp_wake_monitor ecx_pgtbl pcr_map_da tcg_event_log_format cbnt_supported");
}

TEST(MleHeader, OlderVersionsHaveFewerFields) {
  auto b = tbootHeaderBytes();
  b[0x14] = 0x00;  // version 0x20000: capabilities but no command line
  b[0x16] = 0x02;
  auto h = parseMleHeader(b);
  EXPECT_EQ(h->capabilities, 0x627u);
  EXPECT_EQ(h->cmdlineStartOffset, 0u);
  b[0x16] = 0x01;  // 1.0: no capabilities
  EXPECT_EQ(parseMleHeader(b)->capabilities, 0u);
  EXPECT_FALSE(parseMleHeader(std::span(b).first(0x17)));
  EXPECT_EQ(parseMleHeader(std::span(b).first(0x20))->mleEndOffset, 0u);  // short: missing fields read 0
}

TEST(MleHeader, EachBrokenRuleIsNamed) {
  struct Case {
    const char* rule;
    std::function<void(MleHeader&, MleHeaderPolicy&)> change;
  };
  const Case cases[] = {
      {"mle.header.bad_uuid", [](MleHeader& h, MleHeaderPolicy&) { h.uuid[15] ^= 1; }},
      {"mle.header.version_unsupported", [](MleHeader&, MleHeaderPolicy& p) { p.minVersion = 0x20002; }},
      {"mle.header.version_unsupported", [](MleHeader& h, MleHeaderPolicy&) { h.version = 0x30000; }},
      {"mle.header.length_too_small", [](MleHeader& h, MleHeaderPolicy&) { h.length = 0x2C; }},
      {"mle.header.outside_mle", [](MleHeader&, MleHeaderPolicy& p) { p.headerBase = 0x49000 - 0x30; }},
      {"mle.header.first_valid_page", [](MleHeader& h, MleHeaderPolicy&) { h.firstValidPage = 0x1000; }},
      {"mle.header.first_valid_page", [](MleHeader& h, MleHeaderPolicy&) { h.firstValidPage = 0x80000000; }},
      {"mle.header.entry_outside_mle", [](MleHeader& h, MleHeaderPolicy&) { h.entryPoint = 0x49000; }},
      {"mle.header.size_mismatch", [](MleHeader& h, MleHeaderPolicy&) { h.mleEndOffset = 0x4E000; }},
      {"mle.header.size_mismatch", [](MleHeader& h, MleHeaderPolicy&) { h.mleStartOffset = 0x4E000; }},
      {"mle.header.capability_not_in_header", [](MleHeader& h, MleHeaderPolicy&) { h.capabilities = 0x601; }},
      {"mle.header.capability_not_in_header", [](MleHeader& h, MleHeaderPolicy&) { h.capabilities = 0x403; }},
      {"mle.header.cmdline_window_invalid", [](MleHeader& h, MleHeaderPolicy&) { h.cmdlineEndOffset = 0xFFF; }},
  };
  for (const auto& c : cases) {
    MleHeader h = *parseMleHeader(tbootHeaderBytes());
    MleHeaderPolicy p = tbootPolicy();
    c.change(h, p);
    EXPECT_EQ(names(validateMleHeader(h, p)), std::vector<std::string>{c.rule}) << c.rule;
  }
}

TEST(MleRules, NamesAndCodesAreDistinctFromEachOtherAndFromTheHeaps) {
  std::set<std::string> seen;
  std::set<uint32_t> codes;
  for (auto r : heap::allHeapRules()) {
    seen.insert(heap::heapRuleInfo(r).name);
    codes.insert(heap::heapRuleInfo(r).code.errorCode());
  }
  for (auto r : allMleRules()) {
    const auto& i = mleRuleInfo(r);
    EXPECT_TRUE(seen.insert(i.name).second) << i.name;
    EXPECT_TRUE(codes.insert(i.code.errorCode()).second) << i.name;
    EXPECT_EQ(i.code.progressClass, kPlaceholderMleClass);
    EXPECT_FALSE(i.code.documented);
  }
}

}  // namespace
}  // namespace dlsim::txt::mle
