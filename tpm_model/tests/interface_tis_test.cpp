// TIS/FIFO model driven like a driver: command round trips against the real
// DlsimEngine (expected PCR values computed with Botan), register identity,
// the state machine details (Expect, burstCount, responseRetry, abort) and
// malformed sequences.
#include <gtest/gtest.h>

#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/tests/interface_drivers.h"

namespace dlsim::tpm {
namespace {

using test::Bytes;

struct TisFixture : ::testing::Test {
  DlsimEngine engine;
  TisDevice tis{engine};
  test::TisDriver drv{tis};
};

TEST_F(TisFixture, StartupExtendReadRoundTrip) {
  for (unsigned width : {1u, 2u, 4u}) {
    DlsimEngine e;
    TisDevice d(e);
    test::TisDriver t(d);
    t.fifoWidth = width;
    ASSERT_TRUE(t.requestLocality(0));
    auto r = t.transmit(0, test::startupClear());
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.response, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0, 0}));
    Bytes digest = test::sha("SHA-256", Bytes{'d', 'l', 's', 'i', 'm'});
    r = t.transmit(0, test::extendSha256(7, digest));
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(test::rcOf(r.response), 0u);
    r = t.transmit(0, test::pcrRead(0x000B, 7));
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(test::rcOf(r.response), 0u);
    EXPECT_EQ(test::lastBytes(r.response, 32), test::sha("SHA-256", Bytes(32, 0), digest)) << "width " << width;
    EXPECT_EQ(d.commandCount(0), 3u);
    ASSERT_EQ(d.commands().size(), 3u);
    EXPECT_EQ(d.commands()[0].commandCode, 0x144u);
    EXPECT_EQ(d.commands()[1].commandCode, 0x182u);
    EXPECT_EQ(d.commands()[2].commandCode, 0x17Eu);
  }
}

// tboot's TPM family probe (tpm12_check): a TPM 1.2 command, tag
// TPM_TAG_RQU_COMMAND, size 10, ordinal 0xFFFFFFFF. A TPM 2.0 answers
// TPM_RC_BAD_TAG with the 1.2 response tag (TPM 2.0 Part 3 §6.1). The record
// keeps the whole header: ordinal 0xFFFFFFFF is a code like any other.
TEST_F(TisFixture, Tpm12ProbeIsRecordedWithItsTagAndOrdinal) {
  ASSERT_TRUE(drv.requestLocality(0));
  auto r = drv.transmit(0, Bytes{0x00, 0xC1, 0, 0, 0, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.response, (Bytes{0x00, 0xC4, 0, 0, 0, 0x0A, 0, 0, 0, 0x1E}));
  ASSERT_EQ(tis.commands().size(), 1u);
  const CommandRecord& c = tis.commands()[0];
  EXPECT_TRUE(c.header);
  EXPECT_EQ(c.tag, 0x00C1u);
  EXPECT_EQ(c.commandCode, 0xFFFFFFFFu);
  EXPECT_TRUE(c.answered);
  EXPECT_EQ(c.responseCode, 0x1Eu);
}

TEST_F(TisFixture, IdentityRegisters) {
  EXPECT_EQ(drv.rd(0, 0x00, 1), 0x81u);  // valid + not established
  uint32_t id = uint32_t(drv.rd(0, 0x30, 4));
  EXPECT_EQ(id & 0xF, 0u);               // FIFO interface
  EXPECT_TRUE(id & (1u << 8));           // 5 localities
  EXPECT_TRUE(id & (1u << 13));          // CapFIFO
  EXPECT_FALSE(id & (1u << 14));         // no CRB
  EXPECT_EQ((id >> 17) & 3, 0u);         // selector FIFO
  EXPECT_EQ((drv.rd(0, 0x14, 4) >> 28) & 7, 3u);  // PTP / TPM 2.0 interface version
  EXPECT_EQ(drv.rd(0, 0xF00, 4), 0x00011014u);
  EXPECT_EQ(drv.rd(0, 0xF00, 2), 0x1014u);
  EXPECT_EQ(drv.rd(0, 0xF02, 2), 0x0001u);
  EXPECT_EQ(drv.rd(0, 0xF04, 1), 0x01u);
  ASSERT_TRUE(drv.requestLocality(0));
  uint32_t s = drv.sts(0);
  EXPECT_EQ((s >> 26) & 3, 1u);  // TPM 2.0 family
  EXPECT_TRUE(s & 0x04);         // selfTestDone
  EXPECT_TRUE(s & 0x80);         // stsValid
  // Byte-wise (tboot) and 32-bit (Linux) reads agree.
  uint32_t bytes = uint32_t(drv.rd(0, 0x18, 1) | (drv.rd(0, 0x19, 1) << 8) | (drv.rd(0, 0x1A, 1) << 16) |
                            (drv.rd(0, 0x1B, 1) << 24));
  EXPECT_EQ(bytes, drv.sts(0));
  // Undecoded offsets read all ones.
  EXPECT_EQ(drv.rd(0, 0x1C, 4), 0xFFFFFFFFu);
  EXPECT_EQ(drv.rd(0, 0x500, 8), ~uint64_t(0));
}

TEST_F(TisFixture, ExpectFollowsHeaderSizeAndBurstCount) {
  ASSERT_TRUE(drv.requestLocality(0));
  drv.wr(0, 0x18, 1, 0x40);
  EXPECT_EQ(drv.sts(0) & 0x40, 0x40u);
  EXPECT_EQ((drv.sts(0) >> 8) & 0xFFFF, 4096u);
  Bytes cmd = test::startupClear();  // 12 bytes
  for (size_t i = 0; i < cmd.size(); ++i) {
    uint32_t s = drv.sts(0);
    if (i > 0) {
      EXPECT_EQ(s & 0x88, 0x88u) << "Expect must be set after " << i << " bytes";
      EXPECT_EQ((s >> 8) & 0xFFFF, 4096u - i);
    }
    drv.wr(0, 0x24, 1, cmd[i]);
  }
  EXPECT_EQ(drv.sts(0) & 0x88, 0x80u);
  EXPECT_EQ(tis.state(), TisDevice::State::kReception);
  drv.wr(0, 0x24, 1, 0x55);  // extra byte: dropped
  EXPECT_EQ(tis.droppedFifoBytes(), 1u);
  drv.wr(0, 0x18, 1, 0x20);
  EXPECT_EQ(tis.state(), TisDevice::State::kCompletion);
  EXPECT_EQ(drv.sts(0) & 0x90, 0x90u);
  EXPECT_EQ((drv.sts(0) >> 8) & 0xFFFF, 10u);  // response bytes left
  Bytes rsp;
  for (int i = 0; i < 10; ++i) rsp.push_back(uint8_t(drv.rd(0, 0x24, 1)));
  EXPECT_EQ(test::rcOf(rsp), 0u);
  EXPECT_EQ(drv.sts(0) & 0x90, 0x80u);  // dataAvail cleared after the last byte
  EXPECT_EQ(drv.rd(0, 0x24, 1), 0xFFu);  // nothing left
  // responseRetry rewinds the response.
  drv.wr(0, 0x18, 1, 0x02);
  EXPECT_EQ(drv.sts(0) & 0x10, 0x10u);
  Bytes again;
  for (int i = 0; i < 10; ++i) again.push_back(uint8_t(drv.rd(0x0, 0x80 + uint32_t(i), 1)));  // XDATA_FIFO
  EXPECT_EQ(again, rsp);
}

TEST_F(TisFixture, MultiByteFifoReadsPopInOrder) {
  ASSERT_TRUE(drv.requestLocality(0));
  ASSERT_TRUE(drv.transmit(0, test::startupClear()).ok);
  Bytes cmd = test::pcrRead(0x000B, 0);
  drv.writeFifo(0, cmd.data(), cmd.size());
  drv.wr(0, 0x18, 1, 0x20);
  ASSERT_EQ(drv.sts(0) & 0x10, 0x10u);
  uint64_t first4 = drv.rd(0, 0x24, 4);
  EXPECT_EQ(first4 & 0xFFFF, 0x0180u);  // tag 80 01 read as little-endian lanes
  uint64_t next2 = drv.rd(0, 0x24, 2);
  uint32_t size = uint32_t(((first4 >> 16) & 0xFF) << 24 | ((first4 >> 24) & 0xFF) << 16 | (next2 & 0xFF) << 8 |
                           ((next2 >> 8) & 0xFF));
  EXPECT_EQ(size, 10u + 4 + 10 + 4 + 2 + 32);
  for (uint32_t i = 6; i < size; ++i) drv.rd(0, 0x24, 1);
  EXPECT_EQ(drv.sts(0) & 0x10, 0u);
  EXPECT_EQ(drv.rd(0, 0x24, 4), 0xFFFFFFFFu);
}

TEST_F(TisFixture, MalformedSequences) {
  ASSERT_TRUE(drv.requestLocality(0));
  // tpmGo in Idle and in Ready (no data): ignored.
  drv.wr(0, 0x18, 1, 0x20);
  EXPECT_EQ(tis.state(), TisDevice::State::kIdle);
  drv.wr(0, 0x18, 1, 0x40);
  drv.wr(0, 0x18, 1, 0x20);
  EXPECT_EQ(tis.state(), TisDevice::State::kReady);
  EXPECT_EQ(tis.commands().size(), 0u);
  // Reading with no response: all ones, no dataAvail.
  EXPECT_EQ(drv.rd(0, 0x24, 4), 0xFFFFFFFFu);
  EXPECT_EQ(drv.sts(0) & 0x10, 0u);
  // tpmGo while Expect is still set: ignored.
  Bytes cmd = test::startupClear();
  drv.writeFifo(0, cmd.data(), 8);
  drv.wr(0, 0x18, 1, 0x20);
  EXPECT_EQ(tis.state(), TisDevice::State::kReception);
  // commandReady in the middle of reception aborts: Ready, empty buffer.
  drv.wr(0, 0x18, 1, 0x40);
  EXPECT_EQ(tis.state(), TisDevice::State::kReady);
  EXPECT_EQ(drv.sts(0) & 0x48, 0x40u);
  EXPECT_EQ((drv.sts(0) >> 8) & 0xFFFF, 4096u);
  // The next full command works.
  auto r = drv.transmit(0, cmd);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::rcOf(r.response), 0u);
  EXPECT_EQ(tis.commands().size(), 1u);
  // FIFO writes in Completion are dropped; commandReady from Completion -> Ready.
  r = drv.transmit(0, test::pcrRead(0x000B, 1));
  ASSERT_TRUE(r.ok);
}

TEST_F(TisFixture, ShortHeaderSizeGoesToEngineAndFails) {
  ASSERT_TRUE(drv.requestLocality(0));
  drv.wr(0, 0x18, 1, 0x40);
  Bytes bad = {0x80, 0x01, 0x00, 0x00, 0x00, 0x04};  // declares 4 bytes
  drv.writeFifo(0, bad.data(), bad.size());
  EXPECT_EQ(drv.sts(0) & 0x08, 0u);
  drv.wr(0, 0x18, 1, 0x20);
  ASSERT_EQ(tis.state(), TisDevice::State::kCompletion);
  Bytes rsp;
  for (int i = 0; i < 10; ++i) rsp.push_back(uint8_t(drv.rd(0, 0x24, 1)));
  EXPECT_NE(test::rcOf(rsp), 0u);
  EXPECT_FALSE(tis.commands().back().header);
}

TEST_F(TisFixture, CommandLargerThanBufferFailsWithCommandSize) {
  ASSERT_TRUE(drv.requestLocality(0));
  drv.wr(0, 0x18, 1, 0x40);
  Bytes big(5000, 0xAB);
  big[0] = 0x80;
  big[1] = 0x01;
  big[2] = 0;
  big[3] = 0;
  big[4] = 0x13;
  big[5] = 0x88;  // 5000
  big[6] = 0;
  big[7] = 0;
  big[8] = 0x01;
  big[9] = 0x7E;
  drv.writeFifo(0, big.data(), 4095);
  EXPECT_EQ(drv.sts(0) & 0x08, 0x08u);
  EXPECT_EQ((drv.sts(0) >> 8) & 0xFFFF, 1u);
  drv.writeFifo(0, big.data() + 4095, 5000 - 4095);
  EXPECT_EQ(drv.sts(0) & 0x08, 0u);
  EXPECT_EQ((drv.sts(0) >> 8) & 0xFFFF, 0u);
  EXPECT_EQ(tis.droppedFifoBytes(), 5000u - 4096u);
  drv.wr(0, 0x18, 1, 0x20);
  Bytes rsp;
  for (int i = 0; i < 10; ++i) rsp.push_back(uint8_t(drv.rd(0, 0x24, 1)));
  EXPECT_EQ(rsp, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0x01, 0x42}));
  EXPECT_EQ(drv.sts(0) & 0x10, 0u);
}

TEST_F(TisFixture, InterruptStatusLatchesEnabledEvents) {
  ASSERT_TRUE(drv.requestLocality(0));
  drv.wr(0, 0x08, 4, 0x80000087u);  // global + dataAvail, stsValid, localityChange, commandReady
  EXPECT_EQ(drv.rd(0, 0x08, 4), 0x80000087u);
  drv.wr(0, 0x0C, 1, 0xF5);
  EXPECT_EQ(drv.rd(0, 0x0C, 1), 0x05u);
  ASSERT_TRUE(drv.transmit(0, test::startupClear()).ok);
  EXPECT_EQ(drv.rd(0, 0x10, 4) & 0x83, 0x83u);
  drv.wr(0, 0x10, 4, 0x81);  // write 1 to clear
  EXPECT_EQ(drv.rd(0, 0x10, 4) & 0x83, 0x02u);
}

}  // namespace
}  // namespace dlsim::tpm
