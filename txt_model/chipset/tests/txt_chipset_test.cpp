// The TXT register spaces' rules in each state, through the bus as a CPU
// reaches them. Expected values come from the register layout (spec notes
// §2) and the configured facts, not from the model's output.
#include <gtest/gtest.h>

#include <vector>

#include "sim/bus.h"
#include "sim/errors.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_config_space.h"
#include "txt_model/chipset/txt_registers.h"

namespace dlsim::txt {
namespace {

constexpr uint64_t kPub = 0xFED30000, kPriv = 0xFED20000;

TxtChipsetConfig config() {
  TxtChipsetConfig c;
  c.didvid = 0x00000001b0068086ull;  // a Coffee Lake client's (tboot-devel txt-stat dump)
  c.verFsbif = 0xFFFFFFFF;
  c.verQpiif = 0x9d003000;
  c.verFtif = 0x50000;
  for (unsigned i = 0; i < 32; ++i) c.publicKey[i] = uint8_t(0xA0 + i);
  c.sinitBase = 0xaced0000;
  c.sinitSize = 0x50000;
  c.heapBase = 0xacf20000;
  c.heapSize = 0xe0000;
  c.dpr = 0xad000041;
  return c;
}

struct Rig {
  explicit Rig(TxtChipsetConfig c = config())
      : chipset(c, [this](int cpu) { resets.push_back(cpu); }) {
    chipset.attach(bus);
  }
  uint64_t rd(uint64_t addr, unsigned size = 8) { return bus.mmioRead(0, addr, size); }
  void wr(uint64_t addr, uint64_t v, unsigned size = 8) { bus.mmioWrite(0, addr, size, v); }
  Bus bus;
  std::vector<int> resets;
  TxtChipset chipset;
};

TEST(TxtSpaces, PublicReadsTheIdentityRegistersInAnySize) {
  Rig r;
  EXPECT_EQ(r.rd(kPub + reg::kDidvid), 0x00000001b0068086ull);
  EXPECT_EQ(r.rd(kPub + reg::kDidvid, 2), 0x8086u);           // VID
  EXPECT_EQ(r.rd(kPub + reg::kDidvid + 2, 2), 0xb006u);       // DID
  EXPECT_EQ(r.rd(kPub + reg::kDidvid + 4, 4), 0x1u);          // RID, EXT-ID
  EXPECT_EQ(r.rd(kPub + reg::kDidvid + 1, 1), 0x80u);
  EXPECT_EQ(r.rd(kPub + reg::kVerFsbif), ~0ull);              // absent: all ones
  EXPECT_EQ(r.rd(kPub + reg::kVerQpiif), 0x9d003000ull);
  EXPECT_EQ(r.rd(kPub + reg::kVerFtif, 4), 0x50000u);
  EXPECT_EQ(r.rd(kPub + reg::kSinitBase, 4), 0xaced0000u);
  EXPECT_EQ(r.rd(kPub + reg::kHeapSize), 0xe0000u);
  EXPECT_EQ(r.rd(kPub + reg::kDpr, 4), 0xad000041u);
}

TEST(TxtSpaces, AnAccessAcrossTwoRegistersReadsBoth) {
  Rig r;
  // 8 bytes at DIDVID+4: DIDVID's bytes 4-7 (RID 1, EXT-ID 0), then the
  // unmodelled slot at 0x118 (0).
  EXPECT_EQ(r.rd(kPub + reg::kDidvid + 4, 8), 0x1ull);
  // 8 bytes at SINIT.BASE+4: its (zero) upper half, then SINIT.SIZE's low half.
  EXPECT_EQ(r.rd(kPub + reg::kSinitBase + 4, 8), 0x50000ull << 32);
  // 4 bytes at SINIT.BASE+2: its bytes 2-3 (0xaced), then its zero upper bytes.
  EXPECT_EQ(r.rd(kPub + reg::kSinitBase + 2, 4), 0xacedu);
  // 2 bytes at the very end of the window: the second is past it (all ones).
  EXPECT_EQ(r.rd(kPub + 0xFFFF, 2), 0xFF00u);
}

TEST(TxtSpaces, PublicKeyIsTheHashBytesInOrderAndReadOnly) {
  Rig r;
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(r.rd(kPub + reg::kPublicKey + i, 1), 0xA0u + i) << i;
  EXPECT_EQ(r.rd(kPub + reg::kPublicKey + 8), 0xafaeadacabaaa9a8ull);
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kPublicKey, 0);
  r.wr(kPub + reg::kPublicKey, 0);
  EXPECT_EQ(r.rd(kPub + reg::kPublicKey, 1), 0xA0u);
}

TEST(TxtSpaces, StatusAtPowerOnHasOnlySexitDone) {
  Rig r;
  EXPECT_EQ(r.rd(kPub + reg::kSts), reg::sts::kSexitDone);
  EXPECT_EQ(r.rd(kPub + reg::kSts), 0x2u);  // as real txt-stat dumps before any launch
}

TEST(TxtSpaces, ClosedPrivateSpaceReadsAllOnesAndDropsWrites) {
  Rig r;
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid, 4), 0xFFFFFFFFu);
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid), ~0ull);
  r.wr(kPriv + reg::kErrorCode, 0xC0008001, 4);
  r.wr(kPriv + reg::kCmdReset, 1, 1);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0u);
  EXPECT_TRUE(r.resets.empty());
  // The device itself answers the same when reached directly.
  EXPECT_EQ(r.chipset.privateSpace().read(AccessContext::fromCpu(0), reg::kDidvid, 2), 0xFFFFu);
  // The bus records the accesses as unclaimed (disabled window).
  EXPECT_GE(r.bus.unclaimedCount(), 4u);
}

TEST(TxtSpaces, OpenPrivateSpaceReadsLikePublic) {
  Rig r;
  r.chipset.openPrivate();
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid, 4) & 0xFFFF, 0x8086u);  // Linux's proof that private space is open
  EXPECT_EQ(r.rd(kPriv + reg::kHeapBase, 4), 0xacf20000u);
  EXPECT_EQ(r.rd(kPub + reg::kSts) & reg::sts::kPrivateOpen, reg::sts::kPrivateOpen);
  EXPECT_EQ(r.rd(kPriv + reg::kSts), r.rd(kPub + reg::kSts));
}

TEST(TxtSpaces, ErrorCodeIsWrittenOnlyThroughPrivateSpace) {
  Rig r;
  r.wr(kPub + reg::kErrorCode, 0xC0008001, 4);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0u);
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kErrorCode, 0xC0008016, 4);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0xC0008016u);
  r.wr(kPriv + reg::kErrorCode + 1, 0x90, 1);  // one byte
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode, 4), 0xC0009016u);
  r.wr(kPriv + reg::kErrorCode, 0xFFFFFFFF00000000ull);  // bits 63:32 do not exist
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0u);
}

TEST(TxtSpaces, EstsIsWriteOneToClearThroughPrivateAndTxtResetStays) {
  TxtChipsetConfig c = config();
  c.ests = reg::ests::kTxtReset | reg::ests::kRogue | reg::ests::kWakeError;
  Rig r(c);
  r.wr(kPub + reg::kEsts, 0xFFFFFFFF, 4);
  EXPECT_EQ(r.rd(kPub + reg::kEsts), 0x43u);
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kEsts, reg::ests::kRogue, 1);
  EXPECT_EQ(r.rd(kPub + reg::kEsts), 0x41u);
  r.wr(kPriv + reg::kEsts, 0xFFFFFFFF, 4);  // what tboot writes after launch
  EXPECT_EQ(r.rd(kPub + reg::kEsts), 0x01u);
}

TEST(TxtSpaces, MleJoinIsWrittenThroughPrivateAndReadInBoth) {
  Rig r;
  r.wr(kPub + reg::kMleJoin, 0x12345000, 4);
  EXPECT_EQ(r.rd(kPub + reg::kMleJoin), 0u);
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kMleJoin, 0x12345000, 4);
  EXPECT_EQ(r.rd(kPub + reg::kMleJoin, 4), 0x12345000u);
  EXPECT_EQ(r.rd(kPriv + reg::kMleJoin, 4), 0x12345000u);
}

TEST(TxtSpaces, BiosRegistersAreWritableInEitherSpaceUntilLocked) {
  Rig r;
  r.wr(kPub + reg::kHeapBase, 0x7ff00000, 4);
  r.wr(kPub + reg::kSinitSize, 0x40000, 4);
  r.wr(kPub + reg::kMsegBase, 0x7fe00000, 4);
  EXPECT_EQ(r.rd(kPub + reg::kHeapBase), 0x7ff00000u);
  EXPECT_EQ(r.rd(kPub + reg::kSinitSize), 0x40000u);
  EXPECT_EQ(r.rd(kPub + reg::kMsegBase), 0x7fe00000u);
  r.wr(kPub + reg::kHeapBase, 0x123456789ull);  // 32 bits
  EXPECT_EQ(r.rd(kPub + reg::kHeapBase), 0x23456789u);
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kCmdLockMemConfig, 1, 1);
  EXPECT_TRUE(r.rd(kPub + reg::kSts) & reg::sts::kMemConfigLock);
  r.wr(kPub + reg::kHeapBase, 0x1000, 4);
  r.wr(kPriv + reg::kHeapBase, 0x1000, 4);
  EXPECT_EQ(r.rd(kPub + reg::kHeapBase), 0x23456789u);
  r.wr(kPriv + reg::kCmdUnlockMemConfig, 1, 1);
  EXPECT_FALSE(r.rd(kPub + reg::kSts) & reg::sts::kMemConfigLock);
  r.wr(kPriv + reg::kHeapBase, 0x1000, 4);
  EXPECT_EQ(r.rd(kPub + reg::kHeapBase), 0x1000u);
  // A measured environment fixes them too.
  r.chipset.senterStarted();
  r.wr(kPub + reg::kSinitBase, 0x2000, 4);
  EXPECT_EQ(r.rd(kPub + reg::kSinitBase), 0xaced0000u);
}

TEST(TxtSpaces, DprFreezesOnceLocked) {
  TxtChipsetConfig c = config();
  c.dpr = 0;
  Rig r(c);
  r.wr(kPub + reg::kDpr, 0x70000050, 4);  // top 0x70000000, 5 MiB, unlocked
  EXPECT_EQ(r.rd(kPub + reg::kDpr), 0x70000050u);
  r.wr(kPub + reg::kDpr, 0x70000051, 4);  // lock
  r.wr(kPub + reg::kDpr, 0x80000020, 4);
  EXPECT_EQ(r.rd(kPub + reg::kDpr), 0x70000051u);
  EXPECT_EQ(reg::dpr::sizeMiB(0x70000051), 5u);
  EXPECT_EQ(reg::dpr::top(0x70000051), 0x70000000u);
}

TEST(TxtSpaces, ReadOnlyRegistersIgnoreWritesInBothSpaces) {
  Rig r;
  r.chipset.openPrivate();
  for (uint64_t base : {kPub, kPriv}) {
    for (uint32_t off : {reg::kSts, reg::kE2sts, reg::kDidvid, reg::kVerQpiif, reg::kVerFtif, reg::kSpad,
                         reg::kAcmStatus}) {
      const uint64_t before = r.rd(kPub + off);
      r.wr(base + off, 0x5555555555555555ull);
      EXPECT_EQ(r.rd(kPub + off), before) << std::hex << base + off;
    }
  }
}

// Each command's effect on STS/E2STS, written through private space with
// one byte (tboot writes 1).
struct CommandCase {
  uint32_t offset;
  uint64_t stsSet, stsClear, e2stsSet, e2stsClear;
};

TEST(TxtSpaces, EachCommandActsThroughPrivateSpaceOnly) {
  const CommandCase cases[] = {
      {reg::kCmdOpenLocality1, reg::sts::kLocality1Open, 0, 0, 0},
      {reg::kCmdCloseLocality1, 0, reg::sts::kLocality1Open, 0, 0},
      {reg::kCmdOpenLocality2, reg::sts::kLocality2Open, 0, 0, 0},
      {reg::kCmdCloseLocality2, 0, reg::sts::kLocality2Open, 0, 0},
      {reg::kCmdLockMemConfig, reg::sts::kMemConfigLock, 0, 0, 0},
      {reg::kCmdUnlockMemConfig, 0, reg::sts::kMemConfigLock, 0, 0},
      {reg::kCmdUnlockMemory, reg::sts::kMemUnlock, 0, 0, 0},
      {reg::kCmdLockPmrc, reg::sts::kPmrcLock, 0, 0, 0},
      {reg::kCmdUnlockPmrc, 0, reg::sts::kPmrcLock, 0, 0},
      {reg::kCmdSecrets, 0, 0, reg::e2sts::kSecrets, 0},
      {reg::kCmdNoSecrets, 0, 0, 0, reg::e2sts::kSecrets},
  };
  for (const CommandCase& c : cases) {
    Rig r;
    r.chipset.openPrivate();
    // Put the bit a command clears in place first, through its partner.
    if (c.stsClear == reg::sts::kLocality1Open) r.wr(kPriv + reg::kCmdOpenLocality1, 1, 1);
    if (c.stsClear == reg::sts::kLocality2Open) r.wr(kPriv + reg::kCmdOpenLocality2, 1, 1);
    if (c.stsClear == reg::sts::kMemConfigLock) r.wr(kPriv + reg::kCmdLockMemConfig, 1, 1);
    if (c.stsClear == reg::sts::kPmrcLock) r.wr(kPriv + reg::kCmdLockPmrc, 1, 1);
    if (c.e2stsClear) r.wr(kPriv + reg::kCmdSecrets, 1, 1);
    const uint64_t sts = r.rd(kPub + reg::kSts), e2 = r.rd(kPub + reg::kE2sts);
    r.wr(kPub + c.offset, 1, 1);  // public: nothing
    EXPECT_EQ(r.rd(kPub + reg::kSts), sts) << std::hex << c.offset;
    EXPECT_EQ(r.rd(kPub + reg::kE2sts), e2) << std::hex << c.offset;
    r.wr(kPriv + c.offset, 1, 1);
    EXPECT_EQ(r.rd(kPub + reg::kSts), (sts | c.stsSet) & ~c.stsClear) << std::hex << c.offset;
    EXPECT_EQ(r.rd(kPub + reg::kE2sts), (e2 | c.e2stsSet) & ~c.e2stsClear) << std::hex << c.offset;
    EXPECT_EQ(r.rd(kPub + c.offset), 0u);  // commands read 0
    EXPECT_TRUE(r.resets.empty());
  }
}

TEST(TxtSpaces, LocalityOpenFollowsTheCommands) {
  Rig r;
  r.chipset.openPrivate();
  EXPECT_TRUE(r.chipset.localityOpen(0));
  EXPECT_FALSE(r.chipset.localityOpen(1));
  r.wr(kPriv + reg::kCmdOpenLocality1, 1);
  r.wr(kPriv + reg::kCmdOpenLocality2, 1);
  EXPECT_TRUE(r.chipset.localityOpen(1));
  EXPECT_TRUE(r.chipset.localityOpen(2));
  EXPECT_FALSE(r.chipset.localityOpen(4));
}

TEST(TxtSpaces, Locality3CommandsAreTheLaunchPathsOnly) {
  Rig r;
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kCmdOpenLocality3, 1, 1);  // a CPU's write
  EXPECT_FALSE(r.rd(kPub + reg::kSts) & reg::sts::kLocality3Open);
  r.bus.mmioWrite(AccessContext::fromPlatform(), kPriv + reg::kCmdOpenLocality3, 1, 1);
  EXPECT_TRUE(r.rd(kPub + reg::kSts) & reg::sts::kLocality3Open);
  EXPECT_TRUE(r.chipset.localityOpen(3));
  r.wr(kPriv + reg::kCmdCloseLocality3, 1, 1);
  EXPECT_TRUE(r.chipset.localityOpen(3));
  r.chipset.closeLocality3();
  EXPECT_FALSE(r.rd(kPub + reg::kSts) & reg::sts::kLocality3Open);
  r.chipset.openLocality3();
  EXPECT_TRUE(r.rd(kPub + reg::kSts) & reg::sts::kLocality3Open);
}

TEST(TxtSpaces, ClosePrivateClosesTheWindowAndLocalities1And2) {
  Rig r;
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kCmdOpenLocality1, 1);
  r.wr(kPriv + reg::kCmdOpenLocality2, 1);
  r.wr(kPriv + reg::kCmdClosePrivate, 1);
  const uint64_t sts = r.rd(kPub + reg::kSts);
  EXPECT_FALSE(sts & reg::sts::kPrivateOpen);
  EXPECT_FALSE(sts & reg::sts::kLocality1Open);
  EXPECT_FALSE(sts & reg::sts::kLocality2Open);
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid, 4), 0xFFFFFFFFu);
  r.wr(kPub + reg::kCmdOpenPrivate, 1);  // software cannot reopen it
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid, 4), 0xFFFFFFFFu);
}

TEST(TxtSpaces, CmdResetThroughPrivateAsksForATxtResetNamingTheCpu) {
  Rig r;
  r.wr(kPub + reg::kCmdReset, 1, 1);
  EXPECT_TRUE(r.resets.empty());
  r.chipset.openPrivate();
  r.bus.mmioWrite(3, kPriv + reg::kCmdReset, 1, 1);
  ASSERT_EQ(r.resets.size(), 1u);
  EXPECT_EQ(r.resets[0], 3);
  EXPECT_TRUE(r.rd(kPub + reg::kEsts) & reg::ests::kTxtReset);
  r.chipset.txtReset();
  ASSERT_EQ(r.resets.size(), 2u);
  EXPECT_EQ(r.resets[1], AccessContext::kNoCpu);
}

TEST(TxtSpaces, AWriteAcrossTwoRegistersActsOnBoth) {
  Rig r;
  r.chipset.openPrivate();
  // 4 bytes at 0x36: ERRORCODE's bytes 6-7 (beyond its 32 bits) and CMD.RESET's bytes 0-1.
  r.wr(kPriv + reg::kErrorCode + 6, 0x0001FFFF, 4);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0u);
  EXPECT_EQ(r.resets.size(), 1u);
  // 8 bytes at 0x2C: THREADS.JOIN's top half (nothing) and ERRORCODE's low 4 bytes.
  r.wr(kPriv + reg::kErrorCode - 4, 0xC000800100000000ull, 8);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0xC0008001u);
}

TEST(TxtSpaces, LaunchSequenceStatusBits) {
  Rig r;
  r.chipset.senterStarted();
  EXPECT_TRUE(r.chipset.senterInProgress());
  EXPECT_EQ(r.rd(kPub + reg::kSts), reg::sts::kSeqInProgress);
  r.chipset.unlockSmram();
  r.chipset.openPrivate();
  r.chipset.openLocality3();
  EXPECT_FALSE(r.chipset.smramLocked());
  r.chipset.senterDone();
  EXPECT_EQ(r.rd(kPub + reg::kSts), reg::sts::kSenterDone | reg::sts::kPrivateOpen | reg::sts::kLocality3Open);
  r.chipset.closeLocality3();
  r.chipset.lockSmram();
  EXPECT_TRUE(r.chipset.smramLocked());
  r.chipset.closePrivate();
  r.chipset.sexitDone();
  EXPECT_FALSE(r.chipset.senterInProgress());
  EXPECT_EQ(r.rd(kPub + reg::kSts), reg::sts::kSexitDone);
  r.chipset.setErrorCode(0xC0000001);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0xC0000001u);
}

TEST(TxtSpaces, WarmResetKeepsStickyRegistersColdClearsThem) {
  Rig r;
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kErrorCode, 0xC0008001, 4);
  r.wr(kPriv + reg::kCmdSecrets, 1);
  r.wr(kPriv + reg::kCmdOpenLocality2, 1);
  r.wr(kPriv + reg::kMleJoin, 0x1000, 4);
  r.chipset.senterStarted();
  r.chipset.senterDone();
  r.chipset.txtReset();
  r.chipset.platformReset(ResetKind::Warm);
  EXPECT_EQ(r.rd(kPub + reg::kSts), reg::sts::kSexitDone);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0xC0008001u);
  EXPECT_EQ(r.rd(kPub + reg::kEsts), reg::ests::kTxtReset);
  EXPECT_EQ(r.rd(kPub + reg::kE2sts), reg::e2sts::kSecrets);
  EXPECT_EQ(r.rd(kPub + reg::kMleJoin), 0u);
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid), ~0ull);  // private closed again
  EXPECT_EQ(r.rd(kPub + reg::kHeapBase), 0xacf20000u);
  r.chipset.platformReset(ResetKind::Cold);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0u);
  EXPECT_EQ(r.rd(kPub + reg::kEsts), 0u);
  EXPECT_EQ(r.rd(kPub + reg::kE2sts), 0u);
}

TEST(TxtSpaces, SnapshotRestoresStateAndDecode) {
  Rig r;
  r.chipset.openPrivate();
  r.wr(kPriv + reg::kErrorCode, 0xC0008016, 4);
  r.wr(kPriv + reg::kCmdOpenLocality1, 1);
  const std::vector<uint8_t> saved = r.chipset.saveState();
  r.wr(kPriv + reg::kErrorCode, 0, 4);
  r.wr(kPriv + reg::kCmdClosePrivate, 1);
  r.chipset.restoreState(saved);
  EXPECT_EQ(r.rd(kPub + reg::kErrorCode), 0xC0008016u);
  EXPECT_TRUE(r.chipset.localityOpen(1));
  EXPECT_EQ(r.rd(kPriv + reg::kDidvid, 2), 0x8086u);
  EXPECT_EQ(r.chipset.saveState(), saved);
  std::vector<uint8_t> bad = saved;
  bad.pop_back();
  EXPECT_THROW(r.chipset.restoreState(bad), InputError);
}

TEST(TxtSpaces, NoTxtChipsetMapsNothing) {
  TxtChipsetConfig c = config();
  c.txtCapable = false;
  Rig r(c);
  EXPECT_FALSE(r.chipset.txtCapable());
  EXPECT_EQ(r.bus.findMmio(kPub), nullptr);
  EXPECT_EQ(r.bus.findMmio(kPriv), nullptr);
  EXPECT_EQ(r.rd(kPub + reg::kDidvid), ~0ull);
}

}  // namespace
}  // namespace dlsim::txt
