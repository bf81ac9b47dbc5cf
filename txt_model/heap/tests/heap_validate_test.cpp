// SINIT's heap checks: a good tboot-style and Linux-style heap pass; each
// rule is broken by one change and reported by name; rule names and the
// ERRORCODE values they carry are distinct and encoded as the ACM error
// layout says (tboot errorcode.h).
#include <gtest/gtest.h>

#include <set>

#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_validate.h"

namespace dlsim::txt::heap {
namespace {

constexpr uint64_t kHeapBase = 0x7F000000, kHeapSize = 0x100000;

struct Fixture {
  BiosData bios;
  std::vector<uint8_t> osMle = std::vector<uint8_t>(96, 0);
  OsSinitData os;
  SinitHeapPolicy policy;
  size_t osSinitPad = 0;  // bytes appended to OsSinitData (its size grows with them)
  Fixture() {
    bios.version = 6;
    bios.numLogicalProcs = 4;
    bios.elements = {makeBiosSpecVer({2, 1, 0}), makeAcm({{0xFFF00000}})};
    os.version = 7;
    os.flags = 1;
    os.mlePageTableBase = 0x1000000 - 0x3000;
    os.mleSize = 0x47000;
    os.mleHeaderBase = 0x100;
    os.pmrLowSize = 0x80000000;
    os.pmrHighBase = 0x100000000ull;
    os.pmrHighSize = 0x40000000;
    os.capabilities = caps::kRlpWakeMonitor | caps::kTcgEventLog;
    os.elements = {makeEventLogPointer2_1({0x7E000000, 0x2000, 0, 0})};
    policy.heapBase = kHeapBase;
    policy.isRam = [](uint64_t b, uint64_t s) { return b + s <= 0x80000000; };
  }
  std::vector<std::string> run() const {
    auto bytes = buildBiosData(bios);
    auto m = buildOsMleData(osMle);
    auto o = buildOsSinitData(os);
    o.resize(o.size() + osSinitPad, 0);
    for (int i = 0; i < 8; ++i) o[i] = uint8_t(uint64_t(o.size()) >> (8 * i));
    bytes.insert(bytes.end(), m.begin(), m.end());
    bytes.insert(bytes.end(), o.begin(), o.end());
    bytes.resize(kHeapSize, 0);
    std::vector<std::string> names;
    for (const auto& f : validateHeapForSinit(parseTxtHeap(bytes, HeapScope::kBeforeLaunch), policy))
      names.push_back(f.name());
    return names;
  }
};

using Names = std::vector<std::string>;

TEST(HeapValidate, AGoodTpm2HeapPasses) { EXPECT_EQ(Fixture().run(), Names{}); }

TEST(HeapValidate, ALegacyTpm2LogAndATpm12LogPassWithTheirElements) {
  Fixture f;
  f.os.capabilities = caps::kRlpWakeGetsec;
  f.os.elements = {makeEventLogPointer2({{{0x000B, 0, 0x7E000000, 0x1000, 0, 0}}})};
  EXPECT_EQ(f.run(), Names{});
  f.policy.tpm = TpmFamily::kTpm12;
  f.os.version = 6;
  f.os.elements = {makeTpmEventLogPtr(0x7E000000)};
  EXPECT_EQ(f.run(), Names{});
}

TEST(HeapValidate, EachBrokenRuleIsNamed) {
  struct Case {
    const char* rule;
    std::function<void(Fixture&)> change;
  };
  const Case cases[] = {
      {"heap.bios_data.version_unsupported", [](Fixture& f) { f.bios.version = 7; }},
      {"heap.bios_data.no_processors", [](Fixture& f) { f.bios.numLogicalProcs = 0; }},
      {"heap.bios_data.acm_address_invalid", [](Fixture& f) { f.bios.elements[1] = makeAcm({{0x100000000ull}}); }},
      {"heap.bios_data.num_logical_procs_mismatch", [](Fixture& f) { f.policy.logicalProcessors = 8; }},
      {"heap.bios_data.num_logical_procs_mismatch", [](Fixture& f) { f.policy.logicalProcessors = 2; }},
      {"heap.os_sinit_data.version_unsupported", [](Fixture& f) { f.policy.osSinitData.max = 6; }},
      {"heap.os_sinit_data.size_mismatch", [](Fixture& f) {
         f.os.version = 5;
         f.policy.tpm = TpmFamily::kTpm12;
         f.osSinitPad = 8;
       }},
      {"heap.os_sinit_data.mle_size_zero", [](Fixture& f) { f.os.mleSize = 0; }},
      {"heap.os_sinit_data.mle_header_outside_mle", [](Fixture& f) { f.os.mleHeaderBase = 0x47000 - 0x20; }},
      {"heap.os_sinit_data.page_table_unaligned", [](Fixture& f) { f.os.mlePageTableBase += 8; }},
      {"heap.os_sinit_data.pmr_unaligned", [](Fixture& f) { f.os.pmrLowSize = 0x80001000; }},
      {"heap.os_sinit_data.pmr_overflow", [](Fixture& f) { f.os.pmrHighBase = 0xFFFFFFFFFFE00000ull; }},
      {"heap.os_sinit_data.pmr_low_above_4g", [](Fixture& f) { f.os.pmrLowSize = 0x100200000ull; }},
      {"heap.os_sinit_data.pmr_overlap", [](Fixture& f) { f.os.pmrHighBase = 0x7FE00000; }},
      {"heap.os_sinit_data.no_rlp_wake_method", [](Fixture& f) { f.os.capabilities = caps::kTcgEventLog; }},
      {"heap.os_sinit_data.no_rlp_wake_method",
       [](Fixture& f) { f.policy.sinitCapabilities = caps::kRlpWakeGetsec | caps::kTcgEventLog; }},
      {"heap.os_sinit_data.capability_unsupported", [](Fixture& f) { f.os.capabilities |= caps::kEcxPageTable; }},
      {"heap.os_sinit_data.event_log_element_missing", [](Fixture& f) { f.os.elements.clear(); }},
      {"heap.os_sinit_data.event_log_element_missing",
       [](Fixture& f) { f.os.capabilities = caps::kRlpWakeMonitor; }},  // legacy log wanted, TCG log given
      {"heap.os_sinit_data.event_log_pointer_invalid",
       [](Fixture& f) { f.os.elements = {makeEventLogPointer2_1({0x7E000000, 0x100, 0x10, 0x200})}; }},
      {"heap.os_sinit_data.event_log_outside_ram",
       [](Fixture& f) { f.os.elements = {makeEventLogPointer2_1({0x90000000, 0x2000, 0, 0})}; }},
      {"heap.os_sinit_data.event_log_overlaps_heap_tables",
       [](Fixture& f) { f.os.elements = {makeEventLogPointer2_1({kHeapBase + 0x10, 0x100, 0, 0})}; }},
      {"heap.os_sinit_data.event_log_overlaps_heap_tables",  // where SINIT will write SinitMleData
       [](Fixture& f) { f.os.elements = {makeEventLogPointer2_1({kHeapBase + 0x80000, 0x1000, 0, 0})}; }},
  };
  for (const auto& c : cases) {
    Fixture f;
    c.change(f);
    EXPECT_EQ(f.run(), Names{c.rule}) << c.rule;
  }
}

// BiosData.NumLogicalProcs is compared with the platform's count only when
// the policy knows it; zero processors stays its own rule.
TEST(HeapValidate, NumLogicalProcsMatchingThePlatformPasses) {
  Fixture f;
  f.policy.logicalProcessors = 4;
  EXPECT_EQ(f.run(), Names{});
  f.bios.numLogicalProcs = 0;
  EXPECT_EQ(f.run(), Names{"heap.bios_data.no_processors"});
}

TEST(HeapValidate, ALogInOsMleDataIsAllowed) {
  Fixture f;
  f.osMle.resize(0x6000);
  uint64_t osMleBody = kHeapBase + buildBiosData(f.bios).size() + 8;
  f.os.elements = {makeEventLogPointer2_1({osMleBody + 0x1000, 0x2000, 0, 0})};
  EXPECT_EQ(f.run(), Names{});
}

TEST(HeapValidate, LayoutFailuresComeFirst) {
  Fixture f;
  f.bios.version = 1;  // v1 reads as the v2 layout: unsupported version
  auto bytes = buildTxtHeap(f.bios, f.osMle, f.os);
  bytes.resize(0x100);  // cut OsSinitData off
  auto failures = validateHeapForSinit(parseTxtHeap(bytes, HeapScope::kBeforeLaunch), f.policy);
  ASSERT_GE(failures.size(), 2u);
  EXPECT_STREQ(failures[0].name(), "heap.table_beyond_heap");
  EXPECT_STREQ(failures[1].name(), "heap.bios_data.version_unsupported");
}

TEST(HeapValidate, PmrCoverage) {
  Fixture f;
  EXPECT_TRUE(pmrCovers(f.os, 0x1000000, 0x47000));
  EXPECT_TRUE(pmrCovers(f.os, 0x100000000ull, 0x1000));
  EXPECT_FALSE(pmrCovers(f.os, 0x7FFFF000, 0x2000));
  EXPECT_FALSE(pmrCovers(f.os, 0x140000000ull, 1));
}

TEST(HeapRules, NamesAndCodesAreDistinctAndEncodedAsAnAcmError) {
  std::set<std::string> names;
  std::set<uint32_t> codes;
  for (HeapRule r : allHeapRules()) {
    const auto& info = heapRuleInfo(r);
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    uint32_t code = info.code.errorCode();
    EXPECT_TRUE(codes.insert(code).second) << info.name;
    EXPECT_EQ(code >> 30, 3u);           // valid, software
    EXPECT_EQ((code >> 15) & 1, 0u);     // source: ACM
    EXPECT_EQ(code & 0xF, 1u);           // ACM type: SINIT
    EXPECT_EQ((code >> 4) & 0x3F, info.code.progressClass);
    EXPECT_EQ((code >> 10) & 0x1F, info.code.major);
    EXPECT_FALSE(info.code.documented);  // no public source gives SINIT's own values
  }
  EXPECT_EQ(SinitErrorCode({0x0D, 0x0A, 0x1E, true}).errorCode(), 0xC01E28D1u);
}

}  // namespace
}  // namespace dlsim::txt::heap
