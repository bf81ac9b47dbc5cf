// Fault injection on both interfaces (failing command code, TPM that stops
// answering, slow commandReady counted in register reads), snapshots, and a
// randomized no-crash / determinism run of 100k accesses per interface.
#include <gtest/gtest.h>

#include <random>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/tests/interface_drivers.h"

namespace dlsim::tpm {
namespace {

using test::Bytes;

TEST(TisFault, FailingCommandCodeGetsErrorResponseWithoutEngine) {
  DlsimEngine e;
  TisDevice tis(e);
  test::TisDriver d(tis);
  tis.failCommand(0x182, 0x922);  // PCR_Extend -> TPM_RC_RETRY
  ASSERT_TRUE(d.requestLocality(0));
  ASSERT_EQ(test::rcOf(d.transmit(0, test::startupClear()).response), 0u);
  auto r = d.transmit(0, test::extendSha256(7, Bytes(32, 0x11)));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.response, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0x09, 0x22}));
  EXPECT_EQ(*e.pcrValue(0x000B, 7), Bytes(32, 0));  // engine never saw it
  tis.clearFailingCommands();
  r = d.transmit(0, test::extendSha256(7, Bytes(32, 0x11)));
  EXPECT_EQ(test::rcOf(r.response), 0u);
  EXPECT_EQ(*e.pcrValue(0x000B, 7), test::sha("SHA-256", Bytes(32, 0), Bytes(32, 0x11)));
  ASSERT_EQ(tis.commands().size(), 3u);
  EXPECT_EQ(tis.commands()[1].responseCode, 0x922u);
}

TEST(TisFault, StopsAnsweringAfterNCommands) {
  DlsimEngine e;
  TisDevice tis(e);
  test::TisDriver d(tis);
  tis.stopAnsweringAfter(1);
  ASSERT_TRUE(d.requestLocality(0));
  ASSERT_TRUE(d.transmit(0, test::startupClear()).ok);
  auto r = d.transmit(0, test::pcrRead(0x000B, 0));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "no response (dataAvail never set)");
  EXPECT_EQ(tis.state(), TisDevice::State::kExecution);
  EXPECT_EQ(d.sts(0) & 0x90, 0u);  // neither stsValid nor dataAvail
  EXPECT_TRUE(tis.hung());
  ASSERT_EQ(tis.commands().size(), 2u);
  EXPECT_FALSE(tis.commands()[1].answered);
  // Aborting and retrying does not bring it back.
  r = d.transmit(0, test::pcrRead(0x000B, 0));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(tis.commandCount(0), 3u);
}

TEST(TisFault, SlowCommandReadyCountsStsReads) {
  DlsimEngine e;
  TisDevice tis(e);
  test::TisDriver d(tis);
  tis.setReadyDelay(5);
  ASSERT_TRUE(d.requestLocality(0));
  d.wr(0, 0x18, 1, 0x40);
  d.wr(0, 0x24, 1, 0x80);  // too early: dropped
  EXPECT_EQ(tis.droppedFifoBytes(), 1u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(d.sts(0) & 0x40, 0u) << "read " << i;
  EXPECT_EQ(d.rd(0, 0x00, 1) & 0x20, 0x20u);  // other registers do not count
  EXPECT_EQ(d.sts(0) & 0x40, 0x40u);
  // The driver copes: a full round trip with the delay.
  auto r = d.transmit(0, test::startupClear());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::rcOf(r.response), 0u);
}

TEST(CrbFault, SlowCmdReadyStopAnsweringAndFailingCode) {
  DlsimEngine e;
  CrbDevice crb(e);
  test::CrbDriver d(crb);
  crb.setReadyDelay(3);
  ASSERT_TRUE(d.requestLocality(0));
  d.wr(0, 0x40, 4, 0x1);
  EXPECT_EQ(d.rd(0, 0x40, 4), 1u);
  EXPECT_EQ(d.rd(0, 0x44, 4), 2u);  // still idle
  EXPECT_EQ(d.rd(0, 0x40, 4), 1u);
  EXPECT_EQ(d.rd(0, 0x40, 4), 0u);
  EXPECT_EQ(d.rd(0, 0x44, 4), 0u);
  crb.setReadyDelay(0);
  crb.failCommand(0x144, 0x101);
  auto r = d.transmit(0, test::startupClear());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.response, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0x01, 0x01}));
  crb.clearFailingCommands();
  crb.stopAnsweringAfter(2);
  ASSERT_EQ(test::rcOf(d.transmit(0, test::startupClear()).response), 0u);
  r = d.transmit(0, test::pcrRead(0x000B, 0));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "START never cleared");
  EXPECT_EQ(d.rd(0, 0x4C, 4), 1u);
  EXPECT_EQ(crb.state(), CrbDevice::State::kExecution);
}

TEST(TisSnapshot, RestoreMidCommandAndRejectBadSnapshots) {
  DlsimEngine e1, e2;
  ASSERT_EQ(test::rcOf(e1.execute(0, test::startupClear())), 0u);
  ASSERT_EQ(test::rcOf(e2.execute(0, test::startupClear())), 0u);
  TisDevice a(e1), b(e2);
  test::TisDriver da(a), db(b);
  a.setReadyDelay(0);
  a.failCommand(0x17A, 0x101);
  ASSERT_TRUE(da.requestLocality(0));
  da.wr(0, 0x18, 1, 0x40);
  Bytes cmd = test::pcrRead(0x000B, 7);
  da.writeFifo(0, cmd.data(), 7);
  da.rd(4, 0x00, 1);  // one dropped access in the record
  auto snap = a.saveState();
  b.restoreState(snap);
  EXPECT_EQ(b.saveState(), snap);
  EXPECT_EQ(b.activeLocality(), 0);
  EXPECT_EQ(b.droppedCount(), 1u);
  EXPECT_EQ(b.faults().failingCommands.at(0x17A), 0x101u);
  db.writeFifo(0, cmd.data() + 7, cmd.size() - 7);
  db.wr(0, 0x18, 1, 0x20);
  Bytes rsp;
  for (int i = 0; i < 10; ++i) rsp.push_back(uint8_t(db.rd(0, 0x24, 1)));
  EXPECT_EQ(test::rcOf(rsp), 0u);
  // Bad snapshots: truncated, wrong device, trailing bytes. The device is unchanged.
  auto before = b.saveState();
  Bytes cut(snap.begin(), snap.begin() + long(snap.size() / 2));
  try {
    b.restoreState(cut);
    FAIL() << "truncated snapshot accepted";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("tpm interface tpm-tis snapshot: field"), std::string::npos) << err.what();
  }
  EXPECT_EQ(b.saveState(), before);
  CrbDevice c(e2);
  EXPECT_THROW(c.restoreState(snap), InputError);
  Bytes longer = snap;
  longer.push_back(0);
  EXPECT_THROW(b.restoreState(longer), InputError);
  EXPECT_EQ(b.saveState(), before);
}

// Random accesses: offsets biased to the decoded registers, all sizes the bus
// may deliver plus odd ones, every locality mark, occasional gate changes and
// platform hash calls. Runs twice with the same seed: same read values, same
// final snapshot. Random bytes in the FIFO make the engine parse garbage.
template <class Dev>
uint64_t randomRun(uint64_t seed, std::vector<uint8_t>& finalState) {
  DlsimEngine e;
  Dev dev(e);
  std::mt19937_64 rng(seed);
  const uint32_t hot[] = {0x00, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x19, 0x1B, 0x24, 0x30, 0x40, 0x44,
                          0x48, 0x4C, 0x58, 0x5C, 0x68, 0x80, 0x82, 0xF00, 0xF04, 0x20, 0x28};
  const unsigned sizes[] = {1, 2, 4, 8, 1, 1, 4, 3, 0, 16};
  uint64_t digest = 1469598103934665603ull;
  AccessContext ctx;
  for (int i = 0; i < 100000; ++i) {
    uint64_t r = rng();
    unsigned loc = unsigned(r % 5);
    uint64_t off = (r >> 3) % 8 < 6 ? loc * 0x1000 + hot[(r >> 6) % std::size(hot)] : (r >> 6) % 0x5100;
    unsigned size = sizes[(r >> 20) % std::size(sizes)];
    ctx.cpu = int((r >> 24) % 3) - 1;
    ctx.locality = int((r >> 26) % 6) - 1;
    ctx.requester = (r >> 39) & 1 ? Requester::kPlatform : Requester::kCpu;
    uint64_t value = rng();
    if ((r >> 30) % 4 == 0) value &= 0xFF;
    switch ((r >> 32) % 64) {
      case 0:
        dev.openLocality(unsigned(1 + (r >> 40) % 3));
        break;
      case 1:
        dev.closeLocality(unsigned(1 + (r >> 40) % 3));
        break;
      case 2:
        dev.hashStart();
        break;
      case 3: {
        uint8_t b[3] = {uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16)};
        dev.hashData(b);
        break;
      }
      case 4:
        dev.hashEnd();
        break;
      default:
        if ((r >> 38) & 1)
          dev.write(ctx, off, size, value);
        else
          digest = (digest ^ dev.read(ctx, off, size)) * 1099511628211ull;
    }
  }
  finalState = dev.saveState();
  // The run reached the interesting paths: commands ran, the gate dropped accesses.
  uint64_t cmds = 0;
  for (unsigned l = 0; l < 5; ++l) cmds += dev.commandCount(l);
  EXPECT_GT(cmds, 0u);
  EXPECT_GT(dev.droppedCount(), 0u);
  Dev copy(e);
  copy.restoreState(finalState);
  EXPECT_EQ(copy.saveState(), finalState);
  return digest;
}

TEST(TisRandom, HundredThousandAccessesNoCrashDeterministic) {
  std::vector<uint8_t> s1, s2;
  uint64_t d1 = randomRun<TisDevice>(0x5EED, s1);
  uint64_t d2 = randomRun<TisDevice>(0x5EED, s2);
  EXPECT_EQ(d1, d2);
  EXPECT_EQ(s1, s2);
}

TEST(CrbRandom, HundredThousandAccessesNoCrashDeterministic) {
  std::vector<uint8_t> s1, s2;
  uint64_t d1 = randomRun<CrbDevice>(0xC0FFEE, s1);
  uint64_t d2 = randomRun<CrbDevice>(0xC0FFEE, s2);
  EXPECT_EQ(d1, d2);
  EXPECT_EQ(s1, s2);
}

}  // namespace
}  // namespace dlsim::tpm
