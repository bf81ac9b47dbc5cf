// The TXT chipset's state and its register rules (see txt_chipset.h).
#include "txt_model/chipset/txt_chipset.h"

#include "sim/bus.h"
#include "sim/codec/state_codec.h"
#include "txt_model/chipset/txt_config_space.h"
#include "txt_model/chipset/txt_registers.h"

namespace dlsim::txt {

namespace {

constexpr uint64_t kLow32 = 0xFFFFFFFFull;
constexpr uint32_t kStateTag = 0x43545854;  // "TXTC"
constexpr uint8_t kStateVersion = 1;

uint64_t merge(uint64_t old, uint64_t value, uint64_t mask) { return (old & ~mask) | (value & mask); }

bool isCommand(uint32_t slot) {
  switch (slot) {
    case reg::kCmdReset:
    case reg::kCmdOpenPrivate:
    case reg::kCmdClosePrivate:
    case reg::kCmdLockMemConfig:
    case reg::kCmdUnlockMemConfig:
    case reg::kCmdUnlockMemory:
    case reg::kCmdLockPmrc:
    case reg::kCmdUnlockPmrc:
    case reg::kCmdOpenLocality1:
    case reg::kCmdCloseLocality1:
    case reg::kCmdOpenLocality2:
    case reg::kCmdCloseLocality2:
    case reg::kCmdOpenLocality3:
    case reg::kCmdCloseLocality3:
    case reg::kCmdSecrets:
    case reg::kCmdNoSecrets:
      return true;
    default:
      return false;
  }
}

}  // namespace

TxtChipset::TxtChipset(const TxtChipsetConfig& config, TxtResetFn onTxtReset)
    : config_(config),
      onTxtReset_(std::move(onTxtReset)),
      public_(std::make_unique<TxtConfigSpace>(*this, TxtSpace::Public)),
      private_(std::make_unique<TxtConfigSpace>(*this, TxtSpace::Private)),
      ests_(config.ests),
      e2sts_(config.e2sts),
      errorCode_(config.errorCode & kLow32),
      sinitBase_(config.sinitBase & kLow32),
      sinitSize_(config.sinitSize & kLow32),
      heapBase_(config.heapBase & kLow32),
      heapSize_(config.heapSize & kLow32),
      msegBase_(config.msegBase & kLow32),
      msegSize_(config.msegSize & kLow32),
      dpr_(config.dpr & kLow32) {
  if (config.startAfterSenter) {
    measured_ = senterDone_ = true;
    sexitDone_ = false;
    privateOpen_ = true;
    locality2_ = true;
  }
}

TxtChipset::~TxtChipset() = default;

void TxtChipset::attach(Bus& bus) {
  if (!config_.txtCapable) return;  // no TXT chipset: the platform hole reads all ones there
  bus_ = &bus;
  bus.mapMmio(reg::kPublicBase, reg::kSpaceSize, public_.get());
  bus.mapMmio(reg::kPrivateBase, reg::kSpaceSize, private_.get());
  bus.setMmioEnabled(reg::kPrivateBase, privateOpen_);
}

uint64_t TxtChipset::sts() const {
  uint64_t v = 0;
  if (senterDone_) v |= reg::sts::kSenterDone;
  if (sexitDone_) v |= reg::sts::kSexitDone;
  if (memUnlocked_) v |= reg::sts::kMemUnlock;
  if (memConfigLocked_) v |= reg::sts::kMemConfigLock;
  if (privateOpen_) v |= reg::sts::kPrivateOpen;
  if (pmrcLocked_) v |= reg::sts::kPmrcLock;
  if (locality3_) v |= reg::sts::kLocality3Open;
  if (locality1_) v |= reg::sts::kLocality1Open;
  if (locality2_) v |= reg::sts::kLocality2Open;
  if (seqInProgress_) v |= reg::sts::kSeqInProgress;
  return v;
}

uint64_t TxtChipset::readSlot(TxtSpace, uint32_t slot) const {
  // Both spaces read alike (see the header). Registers the model does not
  // keep (THREADS.*, NODMA, ACM_POLICY_STATUS, reserved offsets) and the
  // write-only command registers read 0: a choice, the guide's values for
  // them are not available here and no pre-launch code reads them.
  switch (slot) {
    case reg::kSts: return sts();
    case reg::kEsts: return ests_;
    case reg::kErrorCode: return errorCode_;
    case reg::kSpad: return config_.spad;
    // A platform without VER.FSBIF reads all ones in the whole slot (real
    // txt-stat dumps show FSBIF 0xffffffffffffffff next to a QPIIF of 0x9d003000).
    case reg::kVerFsbif: return config_.verFsbif == 0xFFFFFFFFu ? ~0ull : config_.verFsbif;
    case reg::kDidvid: return config_.didvid;
    case reg::kVerQpiif: return config_.verQpiif;
    case reg::kSinitBase: return sinitBase_;
    case reg::kSinitSize: return sinitSize_;
    case reg::kMleJoin: return mleJoin_;
    case reg::kHeapBase: return heapBase_;
    case reg::kHeapSize: return heapSize_;
    case reg::kMsegBase: return msegBase_;
    case reg::kMsegSize: return msegSize_;
    case reg::kAcmStatus: return config_.acmStatus;
    case reg::kDpr: return dpr_;
    case reg::kVerFtif: return config_.verFtif;
    case reg::kE2sts: return e2sts_;
    default: break;
  }
  if (slot >= reg::kPublicKey && slot < reg::kPublicKey + 32) {
    uint64_t v = 0;  // the key hash's bytes in order, little-endian in each slot
    for (unsigned i = 0; i < 8; ++i) v |= uint64_t(config_.publicKey[slot - reg::kPublicKey + i]) << (8 * i);
    return v;
  }
  return 0;
}

bool TxtChipset::configLocked() const {
  // The BIOS-set ranges are fixed once memory configuration is locked or a
  // measured environment exists (SINIT validated them).
  return memConfigLocked_ || measured_;
}

void TxtChipset::writeSlot(TxtSpace space, uint32_t slot, uint64_t value, uint64_t mask, const AccessContext& ctx) {
  const bool priv = space == TxtSpace::Private;
  if (isCommand(slot)) {
    // Commands act only through private space (MLE DG; tboot and Linux
    // write every command there); any value written acts (tboot writes 1).
    if (priv) command(slot, ctx);
    return;
  }
  switch (slot) {
    case reg::kErrorCode:
      // tboot's txt_post_launch clears and its error path sets ERRORCODE
      // through private space; public space cannot change it.
      if (priv) errorCode_ = merge(errorCode_, value, mask) & kLow32;
      return;
    case reg::kEsts:
      // Write 1 to clear, through private space (tboot writes 0xFFFFFFFF
      // after launch). TXT_RESET.STS stays until a power cycle.
      if (priv) ests_ &= ~(value & mask & (reg::ests::kDefined & ~reg::ests::kTxtReset));
      return;
    case reg::kMleJoin:
      // The MLE writes the join structure's address through private space
      // before GETSEC[WAKEUP] (tboot, Linux); 32 bits.
      if (priv) mleJoin_ = merge(mleJoin_, value, mask) & kLow32;
      return;
    case reg::kSinitBase:
    case reg::kSinitSize:
    case reg::kHeapBase:
    case reg::kHeapSize:
    case reg::kMsegBase:
    case reg::kMsegSize: {
      // The BIOS writes these in public space (coreboot); 32 bits each
      // (chipsec: size 4).
      if (configLocked()) return;
      uint64_t* r = slot == reg::kSinitBase  ? &sinitBase_
                    : slot == reg::kSinitSize ? &sinitSize_
                    : slot == reg::kHeapBase  ? &heapBase_
                    : slot == reg::kHeapSize  ? &heapSize_
                    : slot == reg::kMsegBase  ? &msegBase_
                                              : &msegSize_;
      *r = merge(*r, value, mask) & kLow32;
      return;
    }
    case reg::kDpr:
      // Writable until its lock bit is set. chipsec describes the lock as
      // covering bits 19:0; the top (31:20) is TSEG's base, which the BIOS
      // does not move after locking: the model freezes the whole register.
      if (!(dpr_ & reg::dpr::kLock)) dpr_ = merge(dpr_, value, mask) & kLow32;
      return;
    default:
      return;  // read-only (STS, E2STS, DIDVID, VER.*, PUBLIC.KEY, SPAD, ACM_STATUS) or reserved
  }
}

void TxtChipset::command(uint32_t slot, const AccessContext& ctx) {
  switch (slot) {
    case reg::kCmdReset: requestTxtReset(ctx.cpu); return;
    case reg::kCmdOpenPrivate: setPrivateOpen(true); return;  // reachable only while open: no change
    case reg::kCmdClosePrivate: closePrivate(); return;
    case reg::kCmdLockMemConfig: memConfigLocked_ = true; return;
    case reg::kCmdUnlockMemConfig: memConfigLocked_ = false; return;
    case reg::kCmdUnlockMemory: memUnlocked_ = true; return;
    case reg::kCmdLockPmrc: setPmrcLocked(true); return;
    case reg::kCmdUnlockPmrc: setPmrcLocked(false); return;
    case reg::kCmdOpenLocality1: locality1_ = true; return;
    case reg::kCmdCloseLocality1: locality1_ = false; return;
    case reg::kCmdOpenLocality2: locality2_ = true; return;
    case reg::kCmdCloseLocality2: locality2_ = false; return;
    case reg::kCmdOpenLocality3:
    case reg::kCmdCloseLocality3:
      // Locality 3 belongs to the ACM: the processor opens it in SENTER and
      // closes it in EXITAC (SDM vol. 2D). No MLE writes these commands; the
      // model honours them only from the platform's own launch code
      // (Requester::kPlatform, the SINIT model), never from a CPU's write.
      if (ctx.requester == Requester::kPlatform) locality3_ = slot == reg::kCmdOpenLocality3;
      return;
    case reg::kCmdSecrets: e2sts_ |= reg::e2sts::kSecrets; return;
    case reg::kCmdNoSecrets: e2sts_ &= ~reg::e2sts::kSecrets; return;
    default: return;
  }
}

void TxtChipset::setPrivateOpen(bool open) {
  privateOpen_ = open;
  if (bus_) bus_->setMmioEnabled(reg::kPrivateBase, open);
}

void TxtChipset::senterStarted() {
  measured_ = true;
  seqInProgress_ = true;
  sexitDone_ = false;
}

void TxtChipset::senterDone() {
  senterDone_ = true;
  seqInProgress_ = false;
}

void TxtChipset::sexitDone() {
  sexitDone_ = true;
  senterDone_ = false;
  seqInProgress_ = false;
  measured_ = false;
}

void TxtChipset::openPrivate() { setPrivateOpen(true); }

void TxtChipset::closePrivate() {
  setPrivateOpen(false);
  locality1_ = locality2_ = false;  // CMD.CLOSE-PRIVATE also closes localities 1 and 2
}

void TxtChipset::openLocality3() { locality3_ = true; }
void TxtChipset::closeLocality3() { locality3_ = false; }

void TxtChipset::txtReset() {
  // LaunchChipset: the platform resets with ESTS.TXT_RESET set.
  // UNVERIFIED: a tboot-devel txt-stat dump after a SINIT failure and a
  // reboot shows ESTS 0 (that reboot may have been a power cycle).
  requestTxtReset(AccessContext::kNoCpu);
}

void TxtChipset::requestTxtReset(int cpu) {
  ests_ |= reg::ests::kTxtReset;
  ++resetRequests_;
  lastResetCpu_ = cpu;
  if (onTxtReset_) onTxtReset_(cpu);
}

bool TxtChipset::localityOpen(int locality) const {
  switch (locality) {
    case 0: return true;
    case 1: return locality1_;
    case 2: return locality2_;
    case 3: return locality3_;
    default: return false;
  }
}

void TxtChipset::setPmrcLocked(bool locked) {
  pmrcLocked_ = locked;
  if (pmrcListener_) pmrcListener_(locked);
}

void TxtChipset::platformReset(ResetKind kind) {
  measured_ = senterDone_ = seqInProgress_ = false;
  sexitDone_ = true;
  setPrivateOpen(false);
  locality1_ = locality2_ = locality3_ = false;
  memConfigLocked_ = memUnlocked_ = false;
  setPmrcLocked(false);
  smramLocked_ = true;
  mleJoin_ = 0;
  if (kind == ResetKind::Cold) ests_ = e2sts_ = errorCode_ = 0;
}

std::vector<uint8_t> TxtChipset::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  for (bool b : {measured_, senterDone_, sexitDone_, seqInProgress_, privateOpen_, locality1_, locality2_, locality3_,
                 memConfigLocked_, memUnlocked_, pmrcLocked_, smramLocked_})
    w.flag(b);
  for (uint64_t v : {ests_, e2sts_, errorCode_, mleJoin_, sinitBase_, sinitSize_, heapBase_, heapSize_, msegBase_,
                     msegSize_, dpr_})
    w.u64(v);
  w.u32(resetRequests_);
  w.u32(static_cast<uint32_t>(lastResetCpu_));
  return w.take();
}

void TxtChipset::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "txt chipset");
  r.expectHeader(kStateTag, kStateVersion);
  measured_ = r.flag("measured");
  senterDone_ = r.flag("senter_done");
  sexitDone_ = r.flag("sexit_done");
  seqInProgress_ = r.flag("seq_in_progress");
  const bool open = r.flag("private_open");
  locality1_ = r.flag("locality1");
  locality2_ = r.flag("locality2");
  locality3_ = r.flag("locality3");
  memConfigLocked_ = r.flag("mem_config_locked");
  memUnlocked_ = r.flag("mem_unlocked");
  pmrcLocked_ = r.flag("pmrc_locked");
  smramLocked_ = r.flag("smram_locked");
  ests_ = r.u64("ests");
  e2sts_ = r.u64("e2sts");
  errorCode_ = r.bounded("errorcode", kLow32);
  mleJoin_ = r.bounded("mle_join", kLow32);
  sinitBase_ = r.bounded("sinit_base", kLow32);
  sinitSize_ = r.bounded("sinit_size", kLow32);
  heapBase_ = r.bounded("heap_base", kLow32);
  heapSize_ = r.bounded("heap_size", kLow32);
  msegBase_ = r.bounded("mseg_base", kLow32);
  msegSize_ = r.bounded("mseg_size", kLow32);
  dpr_ = r.bounded("dpr", kLow32);
  resetRequests_ = r.u32("reset_requests");
  lastResetCpu_ = static_cast<int>(r.u32("last_reset_cpu"));
  r.expectEnd();
  setPrivateOpen(open);
}

}  // namespace dlsim::txt
