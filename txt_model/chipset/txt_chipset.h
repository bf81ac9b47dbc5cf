// The TXT chipset's launch state and its two configuration register spaces
// (public at 0xFED30000, private at 0xFED20000, same offsets:
// txt_registers.h). One object holds the state (STS, ESTS, E2STS,
// ERRORCODE, the BIOS-set bases and sizes, MLE.JOIN, the open localities,
// private space decode, the SENTER sequence, the SMRAM lock) and implements
// LaunchChipset for GETSEC and SINIT; the two Devices (txt_config_space.h)
// decode accesses into it.
//
// Which space may read and write what (MLE DG appendix B is not readable
// here; the rules below are what tboot 1.10, Linux Secure Launch and
// coreboot rely on, each cited where it is decided in txt_chipset.cpp):
//  - private space decodes only while open (CMD.OPEN-PRIVATE by SENTER/
//    ENTERACCS, closed by CMD.CLOSE-PRIVATE or SEXIT); closed, its window
//    reads all ones and drops writes (Linux proves it open by reading
//    DIDVID there, so closed it cannot read 0x8086);
//  - every register reads the same in both spaces (tboot's txt-stat reads
//    public space and shows private_open, localities, E2STS; Linux reads all
//    of them from private space);
//  - CMD.* registers act only when written through private space;
//    ERRORCODE, ESTS (write 1 to clear) and MLE.JOIN are written through
//    private space only; the BIOS-set registers (SINIT, HEAP, MSEG, DPR)
//    are written through either (coreboot writes them in public space)
//    until locked.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/device.h"
#include "sim/reset_kind.h"
#include "txt_model/chipset/launch_chipset.h"

namespace dlsim {
class Bus;
}

namespace dlsim::txt {

class TxtConfigSpace;

enum class TxtSpace { Public, Private };

// What the platform sets before power-on: the profile's identity registers
// and what the BIOS (or a previous boot) left.
struct TxtChipsetConfig {
  bool txtCapable = true;  // false: no TXT chipset (the spaces are not decoded at all)
  uint64_t didvid = 0;
  uint32_t verFsbif = 0;   // 0xFFFFFFFF: absent, the whole slot reads all ones (real txt-stat dumps)
  uint32_t verQpiif = 0;
  uint32_t verFtif = 0;
  std::array<uint8_t, 32> publicKey{};
  uint64_t sinitBase = 0, sinitSize = 0;
  uint64_t heapBase = 0, heapSize = 0;
  uint64_t msegBase = 0, msegSize = 0;
  uint64_t dpr = 0;
  uint64_t ests = 0;        // left by a previous boot
  uint64_t errorCode = 0;   // left by a previous boot (sticky)
  uint64_t e2sts = 0;
  uint64_t spad = 0;        // BOOTSTATUS as the BIOS ACM left it
  uint64_t acmStatus = 0;   // ACM_STATUS (0x328)
  // Start as a successful SENTER hands the platform to the MLE (STS.SENTER.DONE,
  // SEXIT.DONE clear, private space open, locality 2 open: the SINIT
  // steps) instead of at power-on: for scenarios that test MLE code alone.
  bool startAfterSenter = false;
};

class TxtChipset final : public LaunchChipset {
 public:
  // `onTxtReset(cpu)` is called when the platform must go through a TXT
  // reset (CMD.RESET written, txtReset()); `cpu` is the CPU that wrote
  // CMD.RESET, AccessContext::kNoCpu otherwise. The platform layer ends the
  // run there.
  using TxtResetFn = std::function<void(int cpu)>;
  TxtChipset(const TxtChipsetConfig& config, TxtResetFn onTxtReset);
  // Told each time CMD.LOCK-PMRC / CMD.UNLOCK-PMRC or a platform reset
  // changes STS.PMRC.LOCK: the platform passes it to the VT-d units' PMR
  // registers (SINIT locks them after programming the PMRs).
  void setPmrcListener(std::function<void(bool locked)> listener) { pmrcListener_ = std::move(listener); }
  ~TxtChipset() override;
  TxtChipset(const TxtChipset&) = delete;
  TxtChipset& operator=(const TxtChipset&) = delete;

  // Maps both spaces on `bus` (nothing when !txtCapable) and keeps the
  // private window's decode in step with CMD.OPEN/CLOSE-PRIVATE.
  void attach(Bus& bus);
  TxtConfigSpace& publicSpace() { return *public_; }
  TxtConfigSpace& privateSpace() { return *private_; }

  // One 8-byte register slot as the space's decoder reads and writes it;
  // `mask` has 0xFF in each byte the access wrote.
  uint64_t readSlot(TxtSpace space, uint32_t slot) const;
  void writeSlot(TxtSpace space, uint32_t slot, uint64_t value, uint64_t mask, const AccessContext& ctx);

  // --- LaunchChipset ---
  bool txtCapable() const override { return config_.txtCapable; }
  bool senterInProgress() const override { return measured_; }
  void senterStarted() override;
  void senterDone() override;
  void sexitDone() override;
  void openPrivate() override;
  void closePrivate() override;
  void openLocality3() override;
  void closeLocality3() override;
  void unlockSmram() override { smramLocked_ = false; }
  void lockSmram() override { smramLocked_ = true; }
  void setErrorCode(uint32_t code) override { errorCode_ = code; }
  void txtReset() override;
  uint64_t mleJoin() const override { return mleJoin_; }

  // --- state, for the report and the other chipset parts ---
  uint64_t sts() const;
  uint64_t ests() const { return ests_; }
  uint64_t e2sts() const { return e2sts_; }
  uint32_t errorCode() const { return static_cast<uint32_t>(errorCode_); }
  bool privateOpen() const { return privateOpen_; }
  // TPM localities 1-3 the chipset lets through (0 always, 4 never: it is the processor's).
  bool localityOpen(int locality) const;
  bool smramLocked() const { return smramLocked_; }
  // TXT resets asked for so far (CMD.RESET writes and txtReset() calls; a
  // platform reset does not forget them) and the CPU that asked last
  // (AccessContext::kNoCpu for txtReset()).
  uint32_t txtResetRequests() const { return resetRequests_; }
  int lastResetCpu() const { return lastResetCpu_; }
  const TxtChipsetConfig& config() const { return config_; }
  // The memory-layout registers as last written (DMA protections read them).
  uint64_t dprRegister() const { return dpr_; }
  uint64_t heapBase() const { return heapBase_; }
  uint64_t heapSize() const { return heapSize_; }
  uint64_t sinitBase() const { return sinitBase_; }
  uint64_t sinitSize() const { return sinitSize_; }

  // A platform reset (machine reset hook): warm keeps the sticky
  // ERRORCODE, ESTS and E2STS; cold (a power cycle) clears them too.
  void platformReset(ResetKind kind);

  // Machine snapshots (SnapshotRegistry part "txt-chipset").
  std::vector<uint8_t> saveState() const;
  void restoreState(std::span<const uint8_t> state);

 private:
  void setPrivateOpen(bool open);
  void command(uint32_t slot, const AccessContext& ctx);
  void requestTxtReset(int cpu);
  bool configLocked() const;

  TxtChipsetConfig config_;
  TxtResetFn onTxtReset_;
  Bus* bus_ = nullptr;
  std::unique_ptr<TxtConfigSpace> public_, private_;

  // Launch state.
  bool measured_ = false;        // SENTER started, no SEXIT since
  bool senterDone_ = false;      // STS.SENTER.DONE
  bool sexitDone_ = true;        // STS.SEXIT.DONE (set at power-on: real txt-stat dumps before any launch)
  bool seqInProgress_ = false;   // STS.SEQ_IN_PROGRESS
  bool privateOpen_ = false;
  bool locality1_ = false, locality2_ = false, locality3_ = false;
  bool memConfigLocked_ = false, memUnlocked_ = false, pmrcLocked_ = false;
  std::function<void(bool)> pmrcListener_;
  void setPmrcLocked(bool locked);
  bool smramLocked_ = true;
  uint64_t ests_ = 0, e2sts_ = 0, errorCode_ = 0;
  uint64_t mleJoin_ = 0;
  uint64_t sinitBase_ = 0, sinitSize_ = 0, heapBase_ = 0, heapSize_ = 0;
  uint64_t msegBase_ = 0, msegSize_ = 0, dpr_ = 0;
  uint32_t resetRequests_ = 0;
  int lastResetCpu_ = AccessContext::kNoCpu;
};

}  // namespace dlsim::txt
