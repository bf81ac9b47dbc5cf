// CRB model driven like tboot / Linux tpm_crb: round trip against the real
// DlsimEngine, buffer addresses, locality control, the locality-4 hash path
// and malformed sequences.
#include <gtest/gtest.h>

#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/tests/interface_drivers.h"

namespace dlsim::tpm {
namespace {

using test::Bytes;

TEST(CrbDevice, StartupExtendReadRoundTripAtLocalities0And2) {
  DlsimEngine e;
  TpmInterfaceOptions o;
  o.openAtStart = {true, false, true, false};
  CrbDevice crb(e, o);
  test::CrbDriver d(crb);
  EXPECT_EQ(d.rd(0, 0x30, 4) & 0xF, 1u);  // CRB interface type (tboot's detection)
  EXPECT_EQ(d.rd(0, 0x34, 2), 0x1014u);
  EXPECT_EQ(d.rd(0, 0x36, 2), 0x0001u);
  EXPECT_EQ(d.rd(0, 0x44, 4), 0xFFFFFFFFu);  // control area: nobody owns the TPM
  ASSERT_TRUE(d.requestLocality(0));
  EXPECT_EQ(d.rd(0, 0x44, 4), 0x2u);  // tpmIdle
  auto r = d.transmit(0, test::startupClear());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.response, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0, 0}));
  d.relinquish(0);
  ASSERT_TRUE(d.requestLocality(2));
  // Addresses are absolute and point at locality 2's page + 0x80.
  EXPECT_EQ(d.rd(2, 0x5C, 4), 0xFED42080u);
  EXPECT_EQ(d.rd(2, 0x60, 4), 0u);
  EXPECT_EQ(d.rd(2, 0x68, 8), 0xFED42080u);
  EXPECT_EQ(d.rd(2, 0x58, 4), 0xF80u);
  EXPECT_EQ(d.rd(2, 0x64, 4), 0xF80u);
  Bytes digest = test::sha("SHA-256", Bytes{'c', 'r', 'b'});
  r = d.transmit(2, test::extendSha256(17, digest));  // PCR 17 is extendable at locality 2
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::rcOf(r.response), 0u);
  r = d.transmit(2, test::pcrRead(0x000B, 17));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::lastBytes(r.response, 32), test::sha("SHA-256", Bytes(32, 0xFF), digest));
  EXPECT_EQ(crb.commandCount(0), 1u);
  EXPECT_EQ(crb.commandCount(2), 2u);
}

TEST(CrbDevice, LocalityControlSeizeAndGlobalLocState) {
  DlsimEngine e;
  TpmInterfaceOptions o;
  o.openAtStart = {true, true, true, true};
  CrbDevice crb(e, o);
  test::CrbDriver d(crb);
  EXPECT_EQ(d.rd(0, 0x00, 4), 0x81u);  // valid, not established, nothing assigned
  ASSERT_TRUE(d.requestLocality(1));
  for (unsigned l = 0; l < 4; ++l) EXPECT_EQ(d.rd(l, 0x00, 4), 0x81u | 0x02u | (1u << 2)) << l;
  EXPECT_EQ(d.rd(1, 0x0C, 4), 0x1u);
  EXPECT_EQ(d.rd(0, 0x0C, 4), 0x0u);
  d.wr(0, 0x08, 4, 0x1);  // pending
  d.wr(2, 0x08, 4, 0x1);
  d.wr(0, 0x08, 4, 0x4);  // lower seize: refused
  EXPECT_EQ(crb.activeLocality(), 1);
  d.wr(1, 0x08, 4, 0x2);  // relinquish: highest requester (2) wins
  EXPECT_EQ(crb.activeLocality(), 2);
  d.wr(3, 0x08, 4, 0x4);  // seize from 3
  EXPECT_EQ(crb.activeLocality(), 3);
  EXPECT_EQ(d.rd(2, 0x0C, 4), 0x2u);  // beenSeized
  EXPECT_EQ(d.rd(3, 0x0C, 4), 0x1u);
  d.wr(2, 0x08, 4, 0x1);  // requesting again clears beenSeized
  EXPECT_EQ(d.rd(2, 0x0C, 4), 0x0u);
  // Non-owner: control area and buffer read all ones, writes ignored.
  EXPECT_EQ(d.rd(2, 0x40, 4), 0xFFFFFFFFu);
  EXPECT_EQ(d.rd(2, 0x80, 4), 0xFFFFFFFFu);
  d.wr(2, 0x40, 4, 0x1);
  EXPECT_EQ(crb.state(), CrbDevice::State::kIdle);
}

TEST(CrbDevice, HashPathAndResetEstablishmentFromLocality3) {
  DlsimEngine e;
  TpmInterfaceOptions o;
  o.openAtStart = {true, false, false, true};
  CrbDevice crb(e, o);
  test::CrbDriver d(crb);
  ASSERT_TRUE(d.requestLocality(0));
  ASSERT_EQ(test::rcOf(d.transmit(0, test::startupClear()).response), 0u);
  test::CrbDriver platform(crb, AccessContext::kNoCpu);
  platform.ctx = AccessContext::fromPlatform(4);
  platform.wr(4, 0x28, 1, 0);
  platform.wr(4, 0x24, 4, 0x64636261u);  // "abcd"
  platform.wr(4, 0x20, 1, 0);
  Bytes data = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(*e.pcrValue(0x000B, 17), test::sha("SHA-256", Bytes(32, 0), test::sha("SHA-256", data)));
  EXPECT_EQ(d.rd(0, 0x00, 4) & 1, 0u);
  d.wr(0, 0x08, 4, 0x8);  // resetEstablishment from locality 0: refused
  EXPECT_TRUE(e.established());
  d.wr(3, 0x08, 4, 0x8);
  EXPECT_FALSE(e.established());
  EXPECT_EQ(d.rd(0, 0x00, 4) & 1, 1u);
}

TEST(CrbDevice, MalformedSequences) {
  DlsimEngine e;
  CrbDevice crb(e);
  test::CrbDriver d(crb);
  ASSERT_TRUE(d.requestLocality(0));
  // START in Idle and in Ready without data: ignored, reads 0.
  d.wr(0, 0x4C, 4, 1);
  EXPECT_EQ(d.rd(0, 0x4C, 4), 0u);
  d.wr(0, 0x80, 1, 0x80);  // buffer write while Idle: dropped
  EXPECT_EQ(crb.droppedBufferWrites(), 1u);
  ASSERT_TRUE(d.ready(0));
  d.wr(0, 0x4C, 4, 1);
  EXPECT_EQ(d.rd(0, 0x4C, 4), 0u);
  EXPECT_EQ(crb.commands().size(), 0u);
  // Declared size beyond the buffer: TPM_RC_COMMAND_SIZE without the engine.
  Bytes big = {0x80, 0x01, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x44};
  for (uint32_t i = 0; i < big.size(); ++i) d.wr(0, 0x80 + i, 1, big[i]);
  d.wr(0, 0x4C, 4, 1);
  EXPECT_EQ(d.rd(0, 0x4C, 4), 0u);
  Bytes rsp;
  for (uint32_t i = 0; i < 10; ++i) rsp.push_back(uint8_t(d.rd(0, 0x80 + i, 1)));
  EXPECT_EQ(rsp, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0x01, 0x42}));
  // The buffer ends at 0xFFF; an access past the window reads all ones.
  EXPECT_EQ(d.rd(0, 0xFFF, 1), 0x00u);
  EXPECT_EQ(crb.read(d.ctx, 0x5000, 4), 0xFFFFFFFFu);
  // goIdle, then a good command still works.
  auto r = d.transmit(0, test::startupClear());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::rcOf(r.response), 0u);
  EXPECT_EQ(crb.state(), CrbDevice::State::kIdle);
}

}  // namespace
}  // namespace dlsim::tpm
