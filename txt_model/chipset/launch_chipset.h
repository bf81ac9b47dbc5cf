// What GETSEC's leaves and the SINIT model do to the TXT chipset, in the
// words of the SDM vol. 2D pseudo-code (OpenPrivate, OpenLocality3...). The
// TXT register spaces (txt_model/chipset/) implement it; the processor side
// (txt_model/getsec/, txt_model/sinit/) calls only this, so either can be
// tested with a fake of the other.
#pragma once
#include <cstdint>

namespace dlsim::txt {

class LaunchChipset {
 public:
  virtual ~LaunchChipset() = default;

  // A TXT-capable chipset is present (GETSEC[CAPABILITIES] EAX bit 0).
  virtual bool txtCapable() const = 0;
  // The chipset's record of a measured environment: set by SENTER's
  // broadcast, cleared by SEXIT (the processor's SENTERFLAG mirrors it).
  virtual bool senterInProgress() const = 0;
  virtual void senterStarted() = 0;    // SEQ_IN_PROGRESS, SENTER broadcast
  virtual void senterDone() = 0;       // STS.SENTER.DONE (SINIT finished)
  virtual void sexitDone() = 0;        // STS.SEXIT.DONE, SENTER.DONE cleared

  virtual void openPrivate() = 0;
  virtual void closePrivate() = 0;     // also closes localities 1 and 2
  virtual void openLocality3() = 0;
  virtual void closeLocality3() = 0;
  virtual void unlockSmram() = 0;
  virtual void lockSmram() = 0;

  // TXT.MLE.JOIN (0x290): the physical address of the JOIN structure
  // GETSEC[WAKEUP]'s RLPs start from.
  virtual uint64_t mleJoin() const = 0;

  // TXT.ERRORCODE as SINIT or the processor writes it (sticky until reset).
  virtual void setErrorCode(uint32_t code) = 0;
  // The TXT reset a failed launch ends in: the platform resets with
  // ESTS.TXT_RESET set (a run ends there; the report decodes ERRORCODE).
  virtual void txtReset() = 0;
};

}  // namespace dlsim::txt
