// measure::pcrMappingFor and launchEvents: which mapping each TPM family
// gets from OsSinitData.capabilities bits 4 (pcr_map_no_legacy) and 5
// (pcr_map_da), and the event list of each mapping as
// docs/txt-measurements.md writes it out. TPM 2.0: details/authorities
// always (tboot 1.10's txt.c clears bits 4/5 on TPM 2.0, D/A being the only
// mapping TPM 2.0 supports); TPM 1.2: the bits choose, legacy when neither.
#include <gtest/gtest.h>

#include "txt_model/measure/launch_events.h"

namespace dlsim::txt {
namespace {

using measure::PcrMapping;
using measure::TpmFamily;
using Bytes = std::vector<uint8_t>;

TEST(LaunchEvents, Tpm20AlwaysUsesDetailsAuthorities) {
  for (uint32_t caps : {0x0u, 0x1u, 0x10u, 0x20u, 0x30u, 0x201u, 0xFFFFFFCFu, 0xFFFFFFFFu})
    EXPECT_EQ(measure::pcrMappingFor(caps, TpmFamily::kTpm20), PcrMapping::kDetailsAuthorities) << caps;
}

TEST(LaunchEvents, Tpm12ChoosesByBits4And5) {
  EXPECT_EQ(measure::pcrMappingFor(0x20, TpmFamily::kTpm12), PcrMapping::kDetailsAuthorities);  // pcr_map_da
  EXPECT_EQ(measure::pcrMappingFor(0x10, TpmFamily::kTpm12), PcrMapping::kDetailsAuthorities);  // pcr_map_no_legacy
  EXPECT_EQ(measure::pcrMappingFor(0x30, TpmFamily::kTpm12), PcrMapping::kDetailsAuthorities);
  EXPECT_EQ(measure::pcrMappingFor(0x0, TpmFamily::kTpm12), PcrMapping::kLegacy);
  EXPECT_EQ(measure::pcrMappingFor(0xFFFFFFCF, TpmFamily::kTpm12), PcrMapping::kLegacy);  // all but 4 and 5
}

measure::LaunchEventInputs inputs() {
  measure::LaunchEventInputs in;
  in.hashData = {1, 2, 3, 4, 5, 6, 0, 0, 0, 0};
  in.capabilities = 0x201;
  in.sinitPubKey = Bytes(256, 0xA5);
  return in;
}

struct Row {
  uint32_t pcr, type;
  Bytes data;
  bool extend;
};

void expectEvents(const std::vector<measure::LaunchEvent>& got, const std::vector<Row>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].pcr, want[i].pcr) << i;
    EXPECT_EQ(got[i].type, want[i].type) << i << " " << measure::launchEventName(got[i].type);
    EXPECT_EQ(got[i].data, want[i].data) << i;
    EXPECT_EQ(got[i].extend, want[i].extend) << i;
  }
}

// The TPM 1.2 legacy list (docs/txt-measurements.md, "Legacy"): all in
// PCR 17 but the MLE, in PCR 18.
TEST(LaunchEvents, LegacyListForATpm12Engine) {
  auto in = inputs();
  const Bytes none = {0}, scrtm = {1, 0, 0, 0}, caps = {0x01, 0x02, 0, 0};
  expectEvents(measure::launchEvents(measure::pcrMappingFor(in.capabilities, TpmFamily::kTpm12), in),
               {{17, 0x402, in.hashData, false},
                {17, 0x40A, none, true},
                {17, 0x40B, scrtm, true},
                {17, 0x40F, caps, true},
                {17, 0x40C, none, true},
                {17, 0x40E, none, true},
                {18, 0x404, {}, true}});
}

// The details/authorities list, the same for TPM 2.0 with bits 4/5 clear.
TEST(LaunchEvents, DetailsAuthoritiesListForTpm20WithBits4And5Clear) {
  auto in = inputs();
  const Bytes none = {0}, scrtm = {1, 0, 0, 0}, caps = {0x01, 0x02, 0, 0};
  expectEvents(measure::launchEvents(measure::pcrMappingFor(in.capabilities, TpmFamily::kTpm20), in),
               {{17, 0x402, in.hashData, false},
                {17, 0x40A, none, true},
                {17, 0x40B, scrtm, true},
                {17, 0x412, none, true},
                {17, 0x40E, none, true},
                {17, 0x40F, caps, true},
                {17, 0x404, {}, true},
                {17, 0x414, none, true},
                {18, 0x410, {}, true},
                {18, 0x40B, scrtm, true},
                {18, 0x40F, caps, true},
                {18, 0x413, none, true},
                {18, 0x414, none, true}});
  // SINIT_PUBKEY_HASH extends the hash of the modulus, logging nothing.
  auto events = measure::launchEvents(PcrMapping::kDetailsAuthorities, in);
  EXPECT_EQ(events[8].type, 0x410u);
  EXPECT_EQ(events[8].digestOf, in.sinitPubKey);
  for (size_t i = 0; i < events.size(); ++i) {
    if (i != 8) {
      EXPECT_TRUE(events[i].digestOf.empty()) << i;
    }
  }
}

// tboot 1.10 (txt/heap.c print_event_2_1) reads one byte of each event's
// 32-bit data size when it walks SINIT's TCG log after every launch: an event
// with 256 or more data bytes derails it. A 3072-bit key's modulus (384
// bytes, the size of newer SINITs' keys) must not be logged either.
TEST(LaunchEvents, EveryLoggedEventHasLessThan256DataBytes) {
  auto in = inputs();
  in.sinitPubKey = Bytes(384, 0x5A);
  for (PcrMapping m : {PcrMapping::kLegacy, PcrMapping::kDetailsAuthorities})
    for (const auto& ev : measure::launchEvents(m, in))
      EXPECT_LT(ev.data.size(), 256u) << measure::launchEventName(ev.type) << " " << measure::pcrMappingName(m);
}

}  // namespace
}  // namespace dlsim::txt
