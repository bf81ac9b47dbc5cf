// Localities on the TIS model: arbitration (request, pending, relinquish,
// priority, seize, beenSeized), non-owner behaviour, the chipset gate
// (locality 4 for the platform only, localities 1-3 opened by vendor models)
// and the locality-4 D-RTM hash path changing PCR 17 (expected value from
// Botan, Part 3 eq. 7: PCR17 = H(0^n || H(data))).
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/tests/interface_drivers.h"

namespace dlsim::tpm {
namespace {

using test::Bytes;

TpmInterfaceOptions allOpen() {
  TpmInterfaceOptions o;
  o.openAtStart = {true, true, true, true};
  return o;
}

TEST(LocalityTis, RequestPendingRelinquishAndPriority) {
  DlsimEngine e;
  TisDevice tis(e, allOpen());
  test::TisDriver d(tis);
  EXPECT_EQ(tis.activeLocality(), -1);
  d.wr(0, 0x00, 1, 0x02);
  EXPECT_EQ(d.rd(0, 0x00, 1), 0xA1u);  // granted on the very next read
  d.wr(1, 0x00, 1, 0x02);
  d.wr(3, 0x00, 1, 0x02);
  d.wr(2, 0x00, 1, 0x02);
  EXPECT_EQ(d.rd(2, 0x00, 1), 0x87u);  // requestUse + pendingRequest (others) + valid + not established
  EXPECT_EQ(d.rd(0, 0x00, 1), 0xA5u);  // active + pendingRequest
  d.wr(0, 0x00, 1, 0x20);               // relinquish: highest requester wins
  EXPECT_EQ(tis.activeLocality(), 3);
  EXPECT_EQ(d.rd(3, 0x00, 1), 0xA5u);
  EXPECT_EQ(d.rd(0, 0x00, 1), 0x85u);
  d.wr(3, 0x00, 1, 0x20);
  EXPECT_EQ(tis.activeLocality(), 2);
  d.wr(1, 0x00, 1, 0x20);  // a non-owner withdraws its request
  EXPECT_EQ(d.rd(1, 0x00, 1), 0x81u);
  d.wr(2, 0x00, 1, 0x20);
  EXPECT_EQ(tis.activeLocality(), -1);
  EXPECT_EQ(d.rd(2, 0x00, 1), 0x81u);
  // Combined action bits are ignored.
  d.wr(0, 0x00, 1, 0x22);
  EXPECT_EQ(tis.activeLocality(), -1);
}

TEST(LocalityTis, SeizeFromHigherLocalityAndBeenSeized) {
  DlsimEngine e;
  TisDevice tis(e, allOpen());
  test::TisDriver d(tis);
  ASSERT_TRUE(d.requestLocality(2));
  d.wr(1, 0x00, 1, 0x08);  // lower locality cannot seize
  EXPECT_EQ(tis.activeLocality(), 2);
  // Locality 2 is in the middle of sending a command.
  d.wr(2, 0x18, 1, 0x40);
  Bytes cmd = test::startupClear();
  d.writeFifo(2, cmd.data(), 6);
  EXPECT_EQ(tis.state(), TisDevice::State::kReception);
  d.wr(3, 0x00, 1, 0x08);
  EXPECT_EQ(tis.activeLocality(), 3);
  EXPECT_EQ(tis.state(), TisDevice::State::kIdle);  // aborted
  EXPECT_EQ(d.rd(2, 0x00, 1), 0x91u);               // beenSeized
  EXPECT_EQ(d.rd(3, 0x00, 1), 0xA1u);
  d.wr(2, 0x00, 1, 0x10);  // clear beenSeized
  EXPECT_EQ(d.rd(2, 0x00, 1), 0x81u);
  // Locality 3 sends Startup (allowed at 3).
  auto r = d.transmit(3, cmd);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::rcOf(r.response), 0u);
  EXPECT_EQ(tis.commandCount(3), 1u);
  EXPECT_EQ(tis.commandCount(2), 0u);
}

TEST(LocalityTis, NonOwnerReadsAllOnesAndWritesAreIgnored) {
  DlsimEngine e;
  TisDevice tis(e, allOpen());
  test::TisDriver d(tis);
  EXPECT_EQ(d.sts(0), 0xFFFFFFFFu);  // nobody owns the TPM
  ASSERT_TRUE(d.requestLocality(2));
  EXPECT_EQ(d.sts(0), 0xFFFFFFFFu);
  EXPECT_EQ(d.rd(0, 0x24, 4), 0xFFFFFFFFu);
  EXPECT_EQ(d.rd(0, 0x80, 1), 0xFFu);
  d.wr(0, 0x18, 1, 0x40);
  d.wr(0, 0x24, 1, 0x80);
  d.wr(0, 0x08, 4, 0x80000001u);
  EXPECT_EQ(tis.state(), TisDevice::State::kIdle);
  EXPECT_EQ(tis.ignoredWrites(), 6u);  // 1 + 1 + 4 byte lanes
  EXPECT_EQ(d.rd(0, 0x08, 4), 0u);
  // Identity registers stay readable.
  EXPECT_EQ(d.rd(0, 0xF00, 4), 0x00011014u);
  EXPECT_NE(d.sts(2), 0xFFFFFFFFu);
}

TEST(LocalityTis, Locality4GuestAccessesAreDroppedAndRecorded) {
  DlsimEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  TisDevice tis(e);
  test::TisDriver guest(tis, 1);
  EXPECT_EQ(guest.rd(4, 0x00, 1), 0xFFu);
  guest.wr(4, 0x00, 1, 0x02);
  guest.wr(4, 0x28, 1, 0x00);       // HASH_START from a guest CPU
  guest.wr(4, 0x24, 4, 0x64636261);
  guest.wr(4, 0x20, 1, 0x00);
  EXPECT_EQ(tis.activeLocality(), -1);
  EXPECT_FALSE(e.established());
  EXPECT_EQ(*e.pcrValue(0x000B, 17), Bytes(32, 0xFF));
  ASSERT_EQ(tis.droppedAccesses().size(), 5u);
  EXPECT_EQ(tis.droppedCount(), 5u);
  const auto& r = tis.droppedAccesses()[3];
  EXPECT_EQ(r.cpu, 1);
  EXPECT_TRUE(r.write);
  EXPECT_EQ(r.locality, 4);
  EXPECT_EQ(r.offset, 0x4024u);
  EXPECT_EQ(r.size, 4u);
  EXPECT_EQ(r.value, 0x64636261u);
  EXPECT_EQ(r.reason, DroppedAccess::Reason::kLocality4NotPlatform);
  EXPECT_FALSE(tis.droppedAccesses()[0].write);
}

// Locality 4 is the platform's: a CPU access never reaches it, even one
// whose context claims locality 4 (README known limits, issue 17).
TEST(LocalityTis, Locality4IsNeverReachedByACpuWhateverItsContextSays) {
  DlsimEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  TisDevice tis(e);
  test::TisDriver cpu(tis, 1);
  cpu.ctx = AccessContext::fromCpu(1, 4);
  EXPECT_EQ(cpu.rd(4, 0x00, 1), 0xFFu);
  cpu.wr(4, 0x28, 1, 0x00);  // HASH_START
  cpu.wr(4, 0x24, 4, 0x64636261);
  cpu.wr(4, 0x20, 1, 0x00);  // HASH_END
  EXPECT_FALSE(e.established());
  EXPECT_EQ(*e.pcrValue(0x000B, 17), Bytes(32, 0xFF));
  ASSERT_EQ(tis.droppedAccesses().size(), 4u);
  for (const DroppedAccess& d : tis.droppedAccesses()) EXPECT_EQ(d.reason, DroppedAccess::Reason::kLocality4NotPlatform);
  // A DMA requester neither.
  test::TisDriver dma(tis, AccessContext::kNoCpu);
  dma.ctx = AccessContext::fromDma(0x10);
  dma.ctx.locality = 4;
  dma.wr(4, 0x28, 1, 0x00);
  EXPECT_EQ(tis.droppedCount(), 5u);
  EXPECT_EQ(*e.pcrValue(0x000B, 17), Bytes(32, 0xFF));
}

// A chipset model's gate decides which of localities 1-3 CPU accesses reach;
// the platform's own locality-3 accesses pass; without a gate the TPM's own
// open localities decide.
TEST(LocalityTis, TheChipsetGateDecidesLocalities1To3ForCpus) {
  struct OnlyCpu1AtLocality2 : TpmLocalityGate {
    bool forwards(const AccessContext& ctx, unsigned loc) const override { return loc == 2 && ctx.cpu == 1; }
  } gate;
  TpmLocalityGateSlot slot;
  DlsimEngine e;
  TpmInterfaceOptions o;
  o.openAtStart = {true, true, false, false};  // locality 1 open by the TPM's own setting
  o.gate = &slot;
  TisDevice tis(e, o);
  test::TisDriver cpu0(tis, 0), cpu1(tis, 1);
  EXPECT_NE(cpu0.rd(1, 0x00, 1), 0xFFu);  // no gate yet: the TPM's setting
  EXPECT_EQ(cpu0.rd(2, 0x00, 1), 0xFFu);
  slot.set(&gate);
  EXPECT_EQ(cpu0.rd(1, 0x00, 1), 0xFFu);  // the gate closes locality 1
  EXPECT_EQ(cpu0.rd(2, 0x00, 1), 0xFFu);
  EXPECT_NE(cpu1.rd(2, 0x00, 1), 0xFFu);
  ASSERT_TRUE(cpu1.requestLocality(2));
  EXPECT_EQ(tis.activeLocality(), 2);
  // The platform's locality-3 access passes whatever the gate says; an
  // unmarked platform access follows the TPM's setting.
  test::TisDriver sinit(tis, AccessContext::kNoCpu);
  sinit.ctx = AccessContext::fromPlatform(3);
  EXPECT_NE(sinit.rd(3, 0x00, 1), 0xFFu);
  sinit.ctx = AccessContext::fromPlatform();
  EXPECT_EQ(sinit.rd(3, 0x00, 1), 0xFFu);
  slot.set(nullptr);
  EXPECT_NE(cpu0.rd(1, 0x00, 1), 0xFFu);
  EXPECT_EQ(cpu1.rd(2, 0x00, 1), 0xFFu);
}

TEST(LocalityTis, OpenAndCloseLocalities1To3) {
  DlsimEngine e;
  TpmInterfaceOptions o;
  o.openAtStart = {false, true, false, false};  // locality 0 is open anyway
  TisDevice tis(e, o);
  test::TisDriver d(tis);
  EXPECT_EQ(d.rd(0, 0x00, 1), 0x81u);
  EXPECT_EQ(d.rd(1, 0x00, 1), 0x81u);
  EXPECT_EQ(d.rd(2, 0x00, 1), 0xFFu);
  d.wr(2, 0x00, 1, 0x02);
  EXPECT_EQ(tis.activeLocality(), -1);
  ASSERT_EQ(tis.droppedAccesses().size(), 2u);
  EXPECT_EQ(tis.droppedAccesses()[1].reason, DroppedAccess::Reason::kLocalityClosed);
  EXPECT_EQ(tis.droppedAccesses()[1].offset, 0x2000u);
  tis.openLocality(2);
  EXPECT_TRUE(tis.localityOpen(2));
  ASSERT_TRUE(d.requestLocality(2));
  auto r = d.transmit(2, test::pcrRead(0x000B, 0));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::rcOf(r.response), 0x100u);  // TPM_RC_INITIALIZE: no Startup yet
  tis.closeLocality(2);
  EXPECT_EQ(d.rd(2, 0x00, 1), 0xFFu);
  EXPECT_EQ(d.sts(2), 0xFFFFFFFFu);
  EXPECT_THROW(tis.openLocality(0), InternalError);
  EXPECT_THROW(tis.openLocality(4), InternalError);
  EXPECT_THROW(tis.closeLocality(0), InternalError);
  EXPECT_TRUE(tis.localityOpen(0));
  // An access straddling two pages decodes each byte in its own page:
  // 0xFFE-0xFFF undecoded, 0x1000 = locality 1's ACCESS, 0x1001 undecoded.
  EXPECT_EQ(d.rd(0, 0xFFE, 4), 0xFF81FFFFu);
  EXPECT_EQ(d.rd(1, 0xFFE, 4), 0xFFFFFFFFu);  // second half in closed locality 2
  EXPECT_EQ(tis.droppedAccesses().back().offset, 0x1FFEu);
}

TEST(LocalityTis, PlatformHashApiSetsPcr17AndEstablishment) {
  DlsimEngine e;
  TisDevice tis(e, allOpen());
  test::TisDriver d(tis);
  ASSERT_TRUE(d.requestLocality(0));
  ASSERT_EQ(test::rcOf(d.transmit(0, test::startupClear()).response), 0u);
  EXPECT_EQ(d.rd(0, 0x00, 1) & 1, 1u);
  Bytes data = {'a', 'b', 'c'};
  tis.hashStart();
  EXPECT_TRUE(tis.hashSequenceActive());
  tis.hashData(data);
  tis.hashEnd();
  EXPECT_FALSE(tis.hashSequenceActive());
  EXPECT_TRUE(tis.tpmEstablished());
  EXPECT_EQ(d.rd(0, 0x00, 1) & 1, 0u);  // ACCESS bit 0 is the inverse
  auto r = d.transmit(0, test::pcrRead(0x000B, 17));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::lastBytes(r.response, 32), test::sha("SHA-256", Bytes(32, 0), test::sha("SHA-256", data)));
  // resetEstablishment: refused from locality 0, honoured from locality 3.
  d.wr(0, 0x1B, 1, 0x02);
  EXPECT_TRUE(e.established());
  d.relinquish(0);
  ASSERT_TRUE(d.requestLocality(3));
  d.wr(3, 0x18, 4, 1u << 25);
  EXPECT_FALSE(e.established());
  EXPECT_EQ(d.rd(3, 0x00, 1) & 1, 1u);
}

TEST(LocalityTis, Locality4BusWritesFromThePlatformHash) {
  DlsimEngine e;
  TisDevice tis(e);
  test::TisDriver d(tis);
  ASSERT_TRUE(d.requestLocality(0));
  ASSERT_EQ(test::rcOf(d.transmit(0, test::startupClear()).response), 0u);
  test::TisDriver platform(tis, AccessContext::kNoCpu);
  platform.ctx = AccessContext::fromPlatform(4);
  Bytes data = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70};
  platform.wr(4, 0x28, 1, 0);  // HASH_START
  platform.wr(4, 0x24, 4, 0x40302010u);
  platform.wr(4, 0x24, 2, 0x6050u);
  platform.wr(4, 0x24, 1, 0x70u);
  platform.wr(4, 0x21, 1, 0);  // not decoded
  EXPECT_TRUE(tis.hashSequenceActive());
  platform.wr(4, 0x20, 1, 0);  // HASH_END
  EXPECT_FALSE(tis.hashSequenceActive());
  for (auto [alg, name, n] : {std::tuple<uint16_t, const char*, size_t>{0x0004, "SHA-1", 20},
                              {0x000B, "SHA-256", 32}, {0x000C, "SHA-384", 48}}) {
    EXPECT_EQ(*e.pcrValue(alg, 17), test::sha(name, Bytes(n, 0), test::sha(name, data))) << name;
    EXPECT_EQ(*e.pcrValue(alg, 18), Bytes(n, 0)) << name;
  }
  EXPECT_EQ(tis.droppedCount(), 0u);
  // The platform also reaches locality 4's ordinary registers.
  platform.wr(4, 0x00, 1, 0x02);
  EXPECT_EQ(tis.activeLocality(), 0);
  EXPECT_EQ(platform.rd(4, 0x00, 1), 0x82u);  // valid + requestUse; bit 0 clear: established
  EXPECT_EQ(d.rd(0, 0x00, 1), 0xA4u);         // owner sees locality 4's pending request
}

}  // namespace
}  // namespace dlsim::tpm
