// Event-type names and the text/JSON renderings of a log.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/event_types.h"
#include "tpm_model/tests/eventlog_test_bytes.h"

namespace dlsim::tpm::evlog {
namespace {

using testing::botanHash;
using testing::Bytes;
using testing::bytesOf;
using testing::specIdHeader;
using testing::toHex;

TEST(EventLogTypes, NumbersAndNames) {
  const std::pair<uint32_t, const char*> table[] = {
      {0x0, "EV_PREBOOT_CERT"}, {0x3, "EV_NO_ACTION"}, {0x4, "EV_SEPARATOR"}, {0x5, "EV_ACTION"},
      {0x6, "EV_EVENT_TAG"}, {0x7, "EV_S_CRTM_CONTENTS"}, {0x8, "EV_S_CRTM_VERSION"}, {0x9, "EV_CPU_MICROCODE"},
      {0xA, "EV_PLATFORM_CONFIG_FLAGS"}, {0xB, "EV_TABLE_OF_DEVICES"}, {0xC, "EV_COMPACT_HASH"}, {0xD, "EV_IPL"},
      {0xE, "EV_IPL_PARTITION_DATA"}, {0xF, "EV_NONHOST_CODE"}, {0x10, "EV_NONHOST_CONFIG"},
      {0x11, "EV_NONHOST_INFO"}, {0x12, "EV_OMIT_BOOT_DEVICE_EVENTS"},
      {0x80000001, "EV_EFI_VARIABLE_DRIVER_CONFIG"}, {0x80000003, "EV_EFI_BOOT_SERVICES_APPLICATION"},
      {0x80000007, "EV_EFI_ACTION"}, {0x80000010, "EV_EFI_HCRTM_EVENT"}, {0x800000E0, "EV_EFI_VARIABLE_AUTHORITY"},
      {0x400, "TXT_EVTYPE_BASE"}, {0x401, "TXT_EVTYPE_PCRMAPPING"}, {0x402, "TXT_EVTYPE_HASH_START"},
      {0x403, "TXT_EVTYPE_COMBINED_HASH"}, {0x404, "TXT_EVTYPE_MLE_HASH"}, {0x40A, "TXT_EVTYPE_BIOSAC_REG_DATA"},
      {0x40B, "TXT_EVTYPE_CPU_SCRTM_STAT"}, {0x40C, "TXT_EVTYPE_LCP_CONTROL_HASH"},
      {0x40D, "TXT_EVTYPE_ELEMENTS_HASH"}, {0x40E, "TXT_EVTYPE_STM_HASH"},
      {0x40F, "TXT_EVTYPE_OSSINITDATA_CAP_HASH"}, {0x410, "TXT_EVTYPE_SINIT_PUBKEY_HASH"},
      {0x411, "TXT_EVTYPE_LCP_HASH"}, {0x412, "TXT_EVTYPE_LCP_DETAILS_HASH"},
      {0x413, "TXT_EVTYPE_LCP_AUTHORITIES_HASH"}, {0x414, "TXT_EVTYPE_NV_INFO_HASH"},
      {0x415, "TXT_EVTYPE_COLD_BOOT_BIOS_HASH"}, {0x416, "TXT_EVTYPE_KM_HASH"}, {0x417, "TXT_EVTYPE_BPM_HASH"},
      {0x418, "TXT_EVTYPE_KM_INFO_HASH"}, {0x419, "TXT_EVTYPE_BPM_INFO_HASH"}, {0x41A, "TXT_EVTYPE_BOOT_POL_HASH"},
      {0x4FE, "TXT_EVTYPE_RANDOM_VALUE"}, {0x4FF, "TXT_EVTYPE_CAP_VALUE"}, {0x502, "SLAUNCH"},
      {0x503, "SLAUNCH_START"}, {0x504, "SLAUNCH_END"},
  };
  for (auto [num, name] : table) {
    EXPECT_EQ(eventTypeName(num), std::string(name)) << std::hex << num;
    EXPECT_EQ(eventTypeFromName(name), num) << name;
  }
  EXPECT_EQ(eventTypeFromName("mle_hash"), 0x404u);
  EXPECT_EQ(eventTypeFromName("separator"), 0x4u);
  EXPECT_EQ(eventTypeFromName("0x40a"), 0x40Au);
  EXPECT_EQ(eventTypeFromName("1028"), 0x404u);
  EXPECT_FALSE(eventTypeFromName("NOT_A_TYPE"));
  EXPECT_FALSE(eventTypeFromName("0x1ffffffff"));
  EXPECT_FALSE(eventTypeName(0x405));
  EXPECT_EQ(eventTypeLabel(0x405), "0x405");
}

TEST(EventLogRender, PreviewIsPrintableOrHex) {
  EXPECT_EQ(dataPreview(bytesOf(std::string("vmlinuz\0\0", 9))), "\"vmlinuz\"");
  EXPECT_EQ(dataPreview(std::vector<uint8_t>{1, 2, 0xff}), "0102ff");
  EXPECT_EQ(dataPreview(bytesOf("a\"b")), "\"a\\\"b\"");
  EXPECT_EQ(dataPreview(bytesOf("abcdefgh"), 4), "\"abcd\"...");
  EXPECT_EQ(dataPreview(std::vector<uint8_t>(10, 0xAB), 8), "abababab...");
  EXPECT_EQ(dataPreview({}), "");
}

Bytes sampleLog(std::vector<uint8_t>& d1, std::vector<uint8_t>& d256) {
  Bytes b = specIdHeader({{0x0004, 20}, {0x000B, 32}});
  d1 = botanHash("SHA-1", bytesOf("abc"));
  d256 = botanHash("SHA-256", bytesOf("abc"));
  b.u32(17).u32(0x402).u32(2).u16(0x0004).raw(d1).u16(0x000B).raw(d256).u32(3).str("abc");
  return b;
}

TEST(EventLogRender, TextHasOneLinePerEvent) {
  std::vector<uint8_t> d1, d256;
  Bytes b = sampleLog(d1, d256);
  EventLog log = parseEventLog(b.b, LogFormat::kCryptoAgile, "t");
  std::string text = renderEventLogText(log);
  EXPECT_NE(text.find("banks sha1(20) sha256(32)"), std::string::npos) << text;
  EXPECT_NE(text.find("#0 PCR0 EV_NO_ACTION (0x00000003) sha1:" + std::string(40, '0') + " size 37 "),
            std::string::npos)
      << text;
  std::string line = "#1 PCR17 TXT_EVTYPE_HASH_START (0x00000402) sha1:" + toHex(d1) + " sha256:" + toHex(d256) +
                     " size 3 \"abc\"\n";
  EXPECT_NE(text.find(line), std::string::npos) << text;
}

TEST(EventLogRender, JsonHasStableKeysAndDigests) {
  std::vector<uint8_t> d1, d256;
  Bytes b = sampleLog(d1, d256);
  EventLog log = parseEventLog(b.b, LogFormat::kCryptoAgile, "t");
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  std::string text = renderEventLogJson(log, &r);
  EXPECT_EQ(text, renderEventLogJson(log, &r));
  auto j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> top;
  for (auto it = j.begin(); it != j.end(); ++it) top.push_back(it.key());
  EXPECT_EQ(top, (std::vector<std::string>{"format", "spec_id", "events", "pcrs"}));
  EXPECT_EQ(j["format"], "crypto-agile");
  EXPECT_EQ(j["spec_id"]["algorithms"][1]["alg"], "sha256");
  EXPECT_EQ(j["spec_id"]["algorithms"][1]["digest_size"], 32);
  const auto& e = j["events"][1];
  std::vector<std::string> keys;
  for (auto it = e.begin(); it != e.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"index", "offset", "pcr", "type", "type_name", "digests", "data_size",
                                            "data_preview", "data"}));
  EXPECT_EQ(e["pcr"], 17);
  EXPECT_EQ(e["type"], 0x402);
  EXPECT_EQ(e["type_name"], "TXT_EVTYPE_HASH_START");
  EXPECT_EQ(e["digests"]["sha1"], toHex(d1));
  EXPECT_EQ(e["digests"]["sha256"], toHex(d256));
  EXPECT_EQ(e["data"], "616263");
  auto pcr17 = botanHash("SHA-256", testing::concat(std::vector<uint8_t>(32, 0), d256));
  EXPECT_EQ(j["pcrs"]["sha256"]["17"], toHex(pcr17));
}

}  // namespace
}  // namespace dlsim::tpm::evlog
