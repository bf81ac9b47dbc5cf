// TIS/FIFO register decoding and command state machine (PTP FIFO interface;
// behaviour as tabulated in /work/shared/spec/tpm.md §1).
#include "tpm_model/interface/tis_device.h"

#include <algorithm>
#include <string>

namespace dlsim::tpm {

using namespace ptp::fifo;

TisDevice::TisDevice(TpmEngine& engine, const TpmInterfaceOptions& options, std::string name)
    : TpmInterface(engine, options, std::move(name)) {}

bool TisDevice::isFifo(uint32_t reg) {
  return (reg >= kDataFifo && reg < kDataFifo + 4) || (reg >= kXDataFifo && reg < kXDataFifoEnd);
}

uint64_t TisDevice::declaredSize() const {
  if (cmd_.size() < 6) return 0;
  return (uint64_t(cmd_[2]) << 24) | (uint64_t(cmd_[3]) << 16) | (uint64_t(cmd_[4]) << 8) | cmd_[5];
}

// More command bytes expected: until the 6-byte prefix holding the size is
// in, then until size bytes (at most the buffer) have arrived.
bool TisDevice::expect() const {
  if (state_ != State::kReception) return false;
  if (cmd_.size() < 6) return true;
  return cmd_.size() < std::min<uint64_t>(declaredSize(), kBufferSize);
}

uint32_t TisDevice::stsValue() const {
  uint32_t v = kStsFamilyTpm20 | kStsSelfTestDone;
  if (state_ != State::kExecution) v |= kStsValid;
  uint32_t burst = 0;
  switch (state_) {
    case State::kReady:
      if (readyDelay_ == 0) {
        v |= kStsCommandReady;
        burst = uint32_t(kBufferSize);
      }
      break;
    case State::kReception:
      if (expect()) {
        v |= kStsExpect;
        burst = uint32_t(kBufferSize - cmd_.size());
      }
      break;
    case State::kCompletion:
      if (rspPos_ < rsp_.size()) {
        v |= kStsDataAvail;
        burst = uint32_t(rsp_.size() - rspPos_);
      }
      break;
    default:
      break;
  }
  return v | (std::min<uint32_t>(burst, 0xFFFF) << kStsBurstShift);
}

// No interrupt line is modelled: the capability advertises none, only the
// 64-byte transfer size and interface version 3 (TPM 2.0 PTP).
uint32_t TisDevice::intfCapability() const { return (3u << 28) | (3u << 9); }

uint32_t TisDevice::interfaceId() const {
  using namespace ptp::intf;
  return kTypeFifo | kCapLocality | (3u << kXferSizeShift) | kCapFifo | (0u << kSelectorShift) | kSelLock;
}

uint8_t TisDevice::accessByte(unsigned loc) {
  uint8_t v = kAccRegValid;
  if (!engine_.established()) v |= kAccEstablishment;
  if (arbiter_.requesting(loc)) v |= kAccRequestUse;
  if (arbiter_.pendingOtherThan(loc)) v |= kAccPendingRequest;
  if (arbiter_.beenSeized(loc)) v |= kAccBeenSeized;
  if (arbiter_.active() == int(loc)) v |= kAccActiveLocality;
  return v;
}

uint8_t TisDevice::readByte(unsigned loc, uint32_t reg) {
  bool owner = arbiter_.active() == int(loc);
  auto lane = [](uint32_t v, uint32_t at) { return uint8_t(v >> (8 * at)); };
  if (reg == kAccess) return accessByte(loc);
  if (reg >= kIntEnable && reg < kIntEnable + 4) return lane(intEnable_[loc], reg - kIntEnable);
  if (reg == kIntVector) return intVector_[loc];
  if (reg >= kIntStatus && reg < kIntStatus + 4) return lane(intStatus_[loc], reg - kIntStatus);
  if (reg >= kIntfCapability && reg < kIntfCapability + 4) return lane(intfCapability(), reg - kIntfCapability);
  if (reg >= kSts && reg < kSts + 4) return owner ? lane(stsValue(), reg - kSts) : 0xFF;
  if (isFifo(reg)) return owner ? readFifo() : 0xFF;
  if (reg >= kInterfaceId && reg < kInterfaceId + 4) return lane(interfaceId(), reg - kInterfaceId);
  if (reg >= kDidVid && reg < kDidVid + 4)
    return lane(uint32_t(options_.vendorId) | (uint32_t(options_.deviceId) << 16), reg - kDidVid);
  if (reg == kRid) return options_.revisionId;
  return 0xFF;
}

void TisDevice::afterRead(unsigned loc, uint32_t reg, unsigned size) {
  // One STS read access (any width touching STS) counts once.
  if (readyDelay_ == 0 || arbiter_.active() != int(loc)) return;
  if (reg < kSts + 4 && reg + size > kSts) {
    --readyDelay_;
    if (readyDelay_ == 0) raise(kIntCommandReady);
  }
}

void TisDevice::writeByte(unsigned loc, uint32_t reg, uint8_t v) {
  if (reg == kAccess) return writeAccess(loc, v);
  bool owned = reg < kSts + 4 && reg >= kIntEnable;
  if (!owned && !isFifo(reg)) return;  // read-only or undecoded
  if (arbiter_.active() != int(loc)) {
    ++ignoredWrites_;
    return;
  }
  if (reg >= kIntEnable && reg < kIntEnable + 4) {
    unsigned at = reg - kIntEnable;
    uint32_t mask = uint32_t(0xFF) << (8 * at);
    intEnable_[loc] = (intEnable_[loc] & ~mask) | ((uint32_t(v) << (8 * at)) & mask & kIntEnableWritable);
  } else if (reg == kIntVector) {
    intVector_[loc] = v & 0x0F;
  } else if (reg >= kIntStatus && reg < kIntStatus + 4) {
    intStatus_[loc] &= ~(uint32_t(v) << (8 * (reg - kIntStatus)));
  } else if (reg >= kSts && reg < kSts + 4) {
    writeStsByte(loc, reg - kSts, v);
  } else if (isFifo(reg)) {
    writeFifo(v);
  }
}

// ACCESS: beenSeized is cleared by writing it; of requestUse, Seize and
// activeLocality exactly one may be written at a time (the PTP leaves
// combinations vendor-specific; this TPM ignores them).
void TisDevice::writeAccess(unsigned loc, uint8_t v) {
  if (v & kAccBeenSeized) arbiter_.clearBeenSeized(loc);
  uint8_t action = v & (kAccRequestUse | kAccSeize | kAccActiveLocality);
  if (action == kAccRequestUse)
    requestLocality(loc);
  else if (action == kAccSeize)
    seizeLocality(loc);
  else if (action == kAccActiveLocality)
    relinquishLocality(loc);
}

void TisDevice::writeStsByte(unsigned loc, unsigned lane, uint8_t v) {
  if (lane == 0) {
    if (v & kStsCommandReady) goReady();
    if ((v & kStsTpmGo) && state_ == State::kReception && !expect()) execute();
    if ((v & kStsResponseRetry) && state_ == State::kCompletion) rspPos_ = 0;
  } else if (lane == 3) {
    // commandCancel: commands complete synchronously, so only a hung command
    // could be cancelled, and a TPM that stopped answering ignores it.
    if (v & (kStsResetEstablishment >> 24)) resetEstablishment(loc);
  }
}

// commandReady: Idle -> Ready; in Ready it empties the buffer; in Reception,
// Execution or Completion it aborts the command and lands in Ready (QEMU's
// choice; drivers loop "write commandReady, poll" either way).
void TisDevice::goReady() {
  bool wasReady = state_ == State::kReady;
  cmd_.clear();
  rsp_.clear();
  rspPos_ = 0;
  state_ = State::kReady;
  if (!wasReady) {
    readyDelay_ = runner_.faults().readyDelayReads;
    if (readyDelay_ == 0) raise(kIntCommandReady);
  }
}

void TisDevice::writeFifo(uint8_t v) {
  if (state_ == State::kReady && readyDelay_ == 0) state_ = State::kReception;
  if (state_ == State::kReception && expect()) {
    cmd_.push_back(v);
    if (!expect()) raise(kIntStsValid);
  } else {
    ++droppedFifoBytes_;
  }
}

uint8_t TisDevice::readFifo() {
  if (state_ != State::kCompletion || rspPos_ >= rsp_.size()) return 0xFF;
  return rsp_[rspPos_++];
}

void TisDevice::execute() {
  state_ = State::kExecution;
  bool tooLarge = declaredSize() > kBufferSize;
  auto rsp = runner_.run(uint8_t(arbiter_.active()), cmd_, kBufferSize, tooLarge);
  if (!rsp) return;  // the TPM stopped answering: stays in Execution
  rsp_ = std::move(*rsp);
  rspPos_ = 0;
  state_ = State::kCompletion;
  raise(kIntDataAvail | kIntStsValid);
}

void TisDevice::raise(uint32_t bits) {
  int a = arbiter_.active();
  if (a < 0) return;
  intStatus_[size_t(a)] |= bits & intEnable_[size_t(a)] & kIntStatusBits;
}

// A new owner starts with an idle TPM: the old owner's command is aborted.
void TisDevice::localityChanged(int, int newActive) {
  state_ = State::kIdle;
  cmd_.clear();
  rsp_.clear();
  rspPos_ = 0;
  readyDelay_ = 0;
  if (newActive >= 0) raise(kIntLocalityChange);
}

void TisDevice::saveRegisters(StateWriter& w) const {
  w.u8(uint8_t(state_));
  w.bytes(cmd_);
  w.bytes(rsp_);
  w.u64(rspPos_);
  w.u32(readyDelay_);
  for (unsigned l = 0; l < 5; ++l) {
    w.u32(intEnable_[l]);
    w.u8(intVector_[l]);
    w.u32(intStatus_[l]);
  }
  w.u64(droppedFifoBytes_);
  w.u64(ignoredWrites_);
}

void TisDevice::restoreRegisters(StateReader& r) {
  uint8_t s = r.u8("tis_state");
  if (s > uint8_t(State::kCompletion)) r.fail("tis_state", "value " + std::to_string(s) + " is not 0..4");
  state_ = State(s);
  cmd_ = r.bytes("command_buffer", kBufferSize);
  rsp_ = r.bytes("response_buffer", kBufferSize);
  rspPos_ = r.bounded("response_position", rsp_.size());
  readyDelay_ = r.u32("ready_delay");
  for (unsigned l = 0; l < 5; ++l) {
    intEnable_[l] = r.u32("int_enable") & kIntEnableWritable;
    intVector_[l] = r.u8("int_vector") & 0x0F;
    intStatus_[l] = r.u32("int_status") & kIntStatusBits;
  }
  droppedFifoBytes_ = r.u64("dropped_fifo_bytes");
  ignoredWrites_ = r.u64("ignored_writes");
}

}  // namespace dlsim::tpm
