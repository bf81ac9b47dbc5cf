// The PTP Command Response Buffer (CRB) interface in front of a TpmEngine:
// per locality LOC_STATE/LOC_CTRL/LOC_STS, INTF_ID, the control area
// (CTRL_REQ/STS/CANCEL/START, INT_*, CMD/RSP size and address) and the data
// buffer at 0x80 of each locality page (one buffer shared by all localities,
// reachable by the owner). States Idle/Ready/Reception/Execution/Completion
// as in PTP Table 35, with CapCRBIdleBypass advertised (Completion may go
// straight to Ready or Reception). START runs the command synchronously.
#pragma once
#include <cstdint>
#include <vector>

#include "tpm_model/interface/tpm_interface.h"

namespace dlsim::tpm {

class CrbDevice : public TpmInterface {
 public:
  enum class State : uint8_t { kIdle = 0, kReady = 1, kReception = 2, kExecution = 3, kCompletion = 4 };
  static constexpr size_t kBufferSize = ptp::crb::kDataBufferSize;  // 0xF80

  explicit CrbDevice(TpmEngine& engine, const TpmInterfaceOptions& options = {}, std::string name = "tpm-crb");

  State state() const { return state_; }
  // Absolute physical address of locality `loc`'s data buffer.
  uint64_t bufferAddress(unsigned loc) const;
  uint64_t droppedBufferWrites() const { return droppedBufferWrites_; }
  uint64_t ignoredWrites() const { return ignoredWrites_; }

 protected:
  uint8_t readByte(unsigned loc, uint32_t reg) override;
  void writeByte(unsigned loc, uint32_t reg, uint8_t value) override;
  void afterRead(unsigned loc, uint32_t reg, unsigned size) override;
  void localityChanged(int oldActive, int newActive) override;
  uint32_t snapshotTag() const override { return 0x42524354; }  // "TCRB"
  void saveRegisters(StateWriter& w) const override;
  void restoreRegisters(StateReader& r) override;

 private:
  uint32_t locState();
  uint64_t intfId() const;
  uint32_t ctrlReq() const;
  uint32_t ctrlSts() const;
  void writeLocCtrl(unsigned loc, uint8_t v);
  void writeCtrlReq(uint8_t v);
  void start();
  void raise(uint32_t bits);

  State state_ = State::kIdle;
  std::vector<uint8_t> buffer_ = std::vector<uint8_t>(kBufferSize, 0);
  uint32_t readyDelay_ = 0;  // cmdReady still pending for this many CTRL_REQ/CTRL_STS reads
  bool started_ = false;
  uint32_t cancel_ = 0;
  uint32_t intEnable_ = 0;
  uint32_t intSts_ = 0;
  uint64_t droppedBufferWrites_ = 0;
  uint64_t ignoredWrites_ = 0;
};

}  // namespace dlsim::tpm
