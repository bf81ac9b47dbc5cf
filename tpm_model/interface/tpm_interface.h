// What the FIFO (TIS) and CRB register models have in common: the 0x5000-byte
// window of five locality pages, which localities the chipset lets through
// (locality 0 always; 1-3 when a vendor model opens them; 4 only for accesses
// the platform marks as locality 4), the locality-4 D-RTM indications
// (HASH_START / HASH_DATA / HASH_END) by bus write or C++ call, locality
// arbitration, fault injection and the observation the report shows.
// Accesses of any size 1-8 are split into byte accesses in ascending address
// order; each model decodes bytes, so byte-wise drivers (tboot) and 32-bit
// drivers (Linux) see the same registers.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/device.h"
#include "sim/tpm_locality_gate.h"
#include "tpm_model/interface/command_runner.h"
#include "tpm_model/interface/locality_arbiter.h"
#include "tpm_model/interface/ptp_registers.h"
#include "sim/codec/state_codec.h"
#include "tpm_model/tpm_engine.h"

namespace dlsim::tpm {

struct TpmInterfaceOptions {
  // Physical base the platform maps the window at (CRB reports buffer
  // addresses relative to it).
  uint64_t baseAddress = ptp::kDefaultBase;
  // Which of localities 0-3 are reachable at power-on. Locality 0 is always
  // open whatever is given here; locality 4 is reachable only by accesses the
  // platform marks with AccessContext::locality == 4.
  std::array<bool, 4> openAtStart = {true, false, false, false};
  // The chipset's gate for localities 1-3 (sim/tpm_locality_gate.h); while
  // it holds a gate, that gate decides instead of the open localities.
  const TpmLocalityGateSlot* gate = nullptr;
  // Identification. VID 0x8086 would trigger Linux's iTPM workaround.
  uint16_t vendorId = 0x1014;
  uint16_t deviceId = 0x0001;
  uint8_t revisionId = 0x01;
};

// An access the chipset did not let through to the TPM.
struct DroppedAccess {
  enum class Reason : uint8_t { kLocality4NotPlatform = 0, kLocalityClosed = 1, kOutsideWindow = 2 };
  Reason reason = Reason::kLocalityClosed;
  bool write = false;
  int cpu = AccessContext::kNoCpu;
  uint8_t locality = 0;
  uint64_t offset = 0;  // relative to the window base
  unsigned size = 0;
  uint64_t value = 0;   // written value (writes only)
};

class TpmInterface : public Device {
 public:
  // Dropped accesses beyond this many are counted but not kept.
  static constexpr size_t kDroppedLimit = 1000;

  TpmInterface(TpmEngine& engine, const TpmInterfaceOptions& options, std::string name);

  std::string name() const override { return name_; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) final;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) final;
  // Interface state (registers, buffers, state machine, localities, fault
  // plan, counters and records) followed by the engine's whole state
  // (TpmEngine::saveState: PCRs, NV, Startup state, sequences,
  // tpmEstablished), so a machine snapshot restores the TPM as the guest saw
  // it. Restoring is all or nothing: bad bytes throw InputError naming the
  // field and leave interface and engine unchanged.
  std::vector<uint8_t> saveState() const final;
  void restoreState(std::span<const uint8_t> state) final;

  // --- Localities 1-3 (TXT OPEN-LOCALITY1/2, SKINIT rules in vendor models).
  // n must be 1..3 (0 is always open, 4 is never opened this way); other
  // values throw InternalError.
  void openLocality(unsigned n);
  void closeLocality(unsigned n);
  bool localityOpen(unsigned n) const;

  // --- Locality-4 D-RTM indications from the platform (TXT / SKINIT models).
  // Same effect as writes to HASH_START (0x4028) / HASH_DATA (0x4024) /
  // HASH_END (0x4020) marked as locality 4.
  void hashStart();
  void hashData(std::span<const uint8_t> data);
  void hashEnd();
  bool hashSequenceActive() const { return hashActive_; }

  // --- Fault injection.
  void failCommand(uint32_t commandCode, uint32_t rc) { runner_.faults().failingCommands[commandCode] = rc; }
  void clearFailingCommands() { runner_.faults().failingCommands.clear(); }
  void stopAnsweringAfter(uint64_t commands) { runner_.faults().stopAnsweringAfter = commands; }
  void setReadyDelay(uint32_t reads) { runner_.faults().readyDelayReads = reads; }
  const FaultPlan& faults() const { return runner_.faults(); }
  bool hung() const { return runner_.hung(); }

  // --- Observation.
  int activeLocality() const { return arbiter_.active(); }  // -1: none
  bool tpmEstablished() { return engine_.established(); }
  const std::vector<CommandRecord>& commands() const { return runner_.records(); }
  uint64_t commandCount(unsigned locality) const { return runner_.commandCount(locality); }
  const std::vector<DroppedAccess>& droppedAccesses() const { return dropped_; }
  uint64_t droppedCount() const { return droppedCount_; }
  const TpmInterfaceOptions& options() const { return options_; }

 protected:
  // Decode one byte of locality `loc`'s page (reg < 0x1000). Only called for
  // reachable localities.
  virtual uint8_t readByte(unsigned loc, uint32_t reg) = 0;
  virtual void writeByte(unsigned loc, uint32_t reg, uint8_t value) = 0;
  // Called once per read access (after its bytes), with the first byte's
  // locality and register offset: the slow-TPM delay counts accesses.
  virtual void afterRead(unsigned /*loc*/, uint32_t /*reg*/, unsigned /*size*/) {}
  // The owner changed (request granted, relinquish, seize): abort whatever
  // command state belongs to the old owner.
  virtual void localityChanged(int oldActive, int newActive) = 0;
  virtual uint32_t snapshotTag() const = 0;
  virtual void saveRegisters(StateWriter& w) const = 0;
  virtual void restoreRegisters(StateReader& r) = 0;

  void requestLocality(unsigned loc);
  void relinquishLocality(unsigned loc);
  void seizeLocality(unsigned loc);
  // resetEstablishment from locality 3/4 (the engine refuses others).
  void resetEstablishment(unsigned loc) { engine_.resetEstablished(uint8_t(loc)); }

  TpmEngine& engine_;
  TpmInterfaceOptions options_;
  LocalityArbiter arbiter_;
  CommandRunner runner_;

 private:
  bool reachable(const AccessContext& ctx, unsigned loc, DroppedAccess::Reason& why) const;
  void recordDrop(const DroppedAccess& d);
  void flushHashData(std::vector<uint8_t>& pending);
  void saveInterface(StateWriter& w) const;
  // Restores the interface part; returns the engine part when `withEngine`.
  std::vector<uint8_t> restoreFrom(std::span<const uint8_t> state, bool withEngine);
  std::string name_;
  std::array<bool, 4> open_{};
  bool hashActive_ = false;
  std::vector<DroppedAccess> dropped_;
  uint64_t droppedCount_ = 0;
};

}  // namespace dlsim::tpm
