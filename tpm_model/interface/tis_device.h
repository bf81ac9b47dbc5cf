// The PTP FIFO ("TIS") register interface in front of a TpmEngine: per
// locality ACCESS, INT_*, INTF_CAPABILITY, STS, DATA_FIFO/XDATA_FIFO,
// INTERFACE_ID, DID_VID, RID, and the command state machine
// Idle -> Ready -> Reception -> Execution -> Completion. Commands execute
// synchronously when tpmGo is written (unless a fault is injected), so the
// response is available on the very next STS read.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "tpm_model/interface/tpm_interface.h"

namespace dlsim::tpm {

class TisDevice : public TpmInterface {
 public:
  enum class State : uint8_t { kIdle = 0, kReady = 1, kReception = 2, kExecution = 3, kCompletion = 4 };
  static constexpr size_t kBufferSize = 4096;

  explicit TisDevice(TpmEngine& engine, const TpmInterfaceOptions& options = {}, std::string name = "tpm-tis");

  // Observation for tests and reports.
  State state() const { return state_; }
  // Command bytes dropped: written while Expect was 0 or the buffer was full.
  uint64_t droppedFifoBytes() const { return droppedFifoBytes_; }
  // Writes to STS/FIFO/INT_* from a reachable locality that does not own the TPM.
  uint64_t ignoredWrites() const { return ignoredWrites_; }

 protected:
  uint8_t readByte(unsigned loc, uint32_t reg) override;
  void writeByte(unsigned loc, uint32_t reg, uint8_t value) override;
  void afterRead(unsigned loc, uint32_t reg, unsigned size) override;
  void localityChanged(int oldActive, int newActive) override;
  uint32_t snapshotTag() const override { return 0x53495454; }  // "TTIS"
  void saveRegisters(StateWriter& w) const override;
  void restoreRegisters(StateReader& r) override;

 private:
  static bool isFifo(uint32_t reg);
  uint8_t accessByte(unsigned loc);
  uint32_t stsValue() const;
  uint32_t intfCapability() const;
  uint32_t interfaceId() const;
  bool expect() const;
  uint64_t declaredSize() const;
  void writeAccess(unsigned loc, uint8_t v);
  void writeStsByte(unsigned loc, unsigned lane, uint8_t v);
  void writeFifo(uint8_t v);
  uint8_t readFifo();
  void goReady();
  void execute();
  void raise(uint32_t bit);

  State state_ = State::kIdle;
  std::vector<uint8_t> cmd_;
  std::vector<uint8_t> rsp_;
  size_t rspPos_ = 0;
  uint32_t readyDelay_ = 0;
  std::array<uint32_t, 5> intEnable_{};
  std::array<uint8_t, 5> intVector_{};
  std::array<uint32_t, 5> intStatus_{};
  uint64_t droppedFifoBytes_ = 0;
  uint64_t ignoredWrites_ = 0;
};

}  // namespace dlsim::tpm
