// CRB register decoding, locality control and command state machine (PTP CRB
// interface; offsets and bits in ptp_registers.h, facts in spec/tpm.md §2).
#include "tpm_model/interface/crb_device.h"

#include <algorithm>
#include <string>

namespace dlsim::tpm {

using namespace ptp::crb;

namespace {
uint8_t lane(uint64_t v, uint32_t at) { return uint8_t(v >> (8 * at)); }
bool in(uint32_t reg, uint32_t base, uint32_t size) { return reg >= base && reg < base + size; }
}  // namespace

CrbDevice::CrbDevice(TpmEngine& engine, const TpmInterfaceOptions& options, std::string name)
    : TpmInterface(engine, options, std::move(name)) {}

uint64_t CrbDevice::bufferAddress(unsigned loc) const {
  return options_.baseAddress + uint64_t(loc) * ptp::kLocalityStride + kDataBuffer;
}

// LOC_STATE is global: every page shows the same owner (tboot checks it
// through the requested locality's page).
uint32_t CrbDevice::locState() {
  uint32_t v = kStateRegValid;
  if (!engine_.established()) v |= kStateEstablished;
  if (arbiter_.active() >= 0) v |= kStateLocAssigned | (uint32_t(arbiter_.active()) << kStateActiveShift);
  return v;
}

uint64_t CrbDevice::intfId() const {
  using namespace ptp::intf;
  uint64_t id = kTypeCrb | (1u << kVersionShift) | kCapLocality | kCapCrbIdleBypass | (3u << kXferSizeShift) |
                kCapCrb | (1u << kSelectorShift) | kSelLock | (uint32_t(options_.revisionId) << kRidShift);
  return id | (uint64_t(options_.vendorId) << 32) | (uint64_t(options_.deviceId) << 48);
}

uint32_t CrbDevice::ctrlReq() const { return (state_ == State::kReady && readyDelay_ > 0) ? kReqCmdReady : 0; }

uint32_t CrbDevice::ctrlSts() const {
  bool idle = state_ == State::kIdle || (state_ == State::kReady && readyDelay_ > 0);
  return idle ? kCtrlStsIdle : 0;
}

uint8_t CrbDevice::readByte(unsigned loc, uint32_t reg) {
  bool owner = arbiter_.active() == int(loc);
  if (in(reg, kLocState, 4)) return lane(locState(), reg - kLocState);
  if (in(reg, kLocCtrl, 4)) return 0;  // write-only
  if (in(reg, kLocSts, 4)) {
    uint32_t v = (owner ? kStsGranted : 0) | (arbiter_.beenSeized(loc) ? kStsBeenSeized : 0);
    return lane(v, reg - kLocSts);
  }
  if (in(reg, kIntfId, 8)) return lane(intfId(), reg - kIntfId);
  if (in(reg, kCtrlExt, 8)) return 0;
  // Buffer geometry is fixed and readable from any reachable locality.
  if (in(reg, kCmdSize, 4) || in(reg, kRspSize, 4)) return lane(uint32_t(kBufferSize), reg & 3);
  if (in(reg, kCmdLaddr, 4)) return lane(bufferAddress(loc), reg - kCmdLaddr);
  if (in(reg, kCmdHaddr, 4)) return lane(bufferAddress(loc) >> 32, reg - kCmdHaddr);
  if (in(reg, kRspAddr, 8)) return lane(bufferAddress(loc), reg - kRspAddr);
  bool control = in(reg, kCtrlReq, 0x18) || reg >= kDataBuffer;
  if (!control) return 0xFF;  // reserved
  if (!owner) return 0xFF;
  if (in(reg, kCtrlReq, 4)) return lane(ctrlReq(), reg - kCtrlReq);
  if (in(reg, kCtrlSts, 4)) return lane(ctrlSts(), reg - kCtrlSts);
  if (in(reg, kCtrlCancel, 4)) return lane(cancel_, reg - kCtrlCancel);
  if (in(reg, kCtrlStart, 4)) return lane(started_ ? 1u : 0u, reg - kCtrlStart);
  if (in(reg, kIntEnable, 4)) return lane(intEnable_, reg - kIntEnable);
  if (in(reg, kIntSts, 4)) return lane(intSts_, reg - kIntSts);
  return buffer_[reg - kDataBuffer];
}

void CrbDevice::afterRead(unsigned loc, uint32_t reg, unsigned size) {
  if (readyDelay_ == 0 || arbiter_.active() != int(loc)) return;
  if (reg < kCtrlSts + 4 && reg + size > kCtrlReq) {  // touches CTRL_REQ or CTRL_STS
    --readyDelay_;
    if (readyDelay_ == 0) raise(kIntCmdReady);
  }
}

void CrbDevice::writeByte(unsigned loc, uint32_t reg, uint8_t v) {
  if (reg == kLocCtrl) return writeLocCtrl(loc, v);
  bool control = in(reg, kCtrlReq, 0x18) || reg >= kDataBuffer;
  if (!control) return;  // read-only, reserved or other lanes of LOC_CTRL
  if (arbiter_.active() != int(loc)) {
    ++ignoredWrites_;
    return;
  }
  if (reg == kCtrlReq) {
    writeCtrlReq(v);
  } else if (reg == kCtrlCancel) {
    // A TPM that stopped answering ignores cancel; otherwise nothing runs.
    cancel_ = v & 1u;
  } else if (reg == kCtrlStart) {
    if ((v & 1u) && state_ == State::kReception) start();
  } else if (in(reg, kIntEnable, 4)) {
    unsigned at = reg - kIntEnable;
    uint32_t mask = uint32_t(0xFF) << (8 * at);
    intEnable_ = (intEnable_ & ~mask) | ((uint32_t(v) << (8 * at)) & mask & kIntEnableWritable);
  } else if (in(reg, kIntSts, 4)) {
    intSts_ &= ~(uint32_t(v) << (8 * (reg - kIntSts)));
  } else if (reg >= kDataBuffer) {
    bool ready = state_ == State::kReady && readyDelay_ == 0;
    if (ready || state_ == State::kCompletion) state_ = State::kReception;
    if (state_ == State::kReception)
      buffer_[reg - kDataBuffer] = v;
    else
      ++droppedBufferWrites_;
  }
}

// LOC_CTRL: one of requestAccess / relinquish / seize per write (others are
// ignored as vendor-specific); writing requestAccess or relinquish also
// clears this locality's beenSeized. resetEstablishment is honoured by the
// engine only for localities 3 and 4.
void CrbDevice::writeLocCtrl(unsigned loc, uint8_t v) {
  uint8_t action = v & (kCtrlRequestAccess | kCtrlRelinquish | kCtrlSeize);
  if (action == kCtrlRequestAccess || action == kCtrlRelinquish) arbiter_.clearBeenSeized(loc);
  if (action == kCtrlRequestAccess)
    requestLocality(loc);
  else if (action == kCtrlRelinquish)
    relinquishLocality(loc);
  else if (action == kCtrlSeize)
    seizeLocality(loc);
  if ((v & kCtrlResetEstablishment) && engine_.resetEstablished(uint8_t(loc))) raise(kIntEstablishmentClear);
}

// cmdReady: Idle/Reception/Completion -> Ready (the bit reads 1 until the
// delay, if any, has passed); goIdle: -> Idle at once. Both are ignored while
// a command executes.
void CrbDevice::writeCtrlReq(uint8_t v) {
  if (state_ == State::kExecution) return;
  if (v & kReqGoIdle) {
    state_ = State::kIdle;
    readyDelay_ = 0;
    return;
  }
  if ((v & kReqCmdReady) && state_ != State::kReady) {
    state_ = State::kReady;
    readyDelay_ = runner_.faults().readyDelayReads;
    if (readyDelay_ == 0) raise(kIntCmdReady);
  }
}

void CrbDevice::start() {
  uint64_t declared = (uint64_t(buffer_[2]) << 24) | (uint64_t(buffer_[3]) << 16) | (uint64_t(buffer_[4]) << 8) |
                      buffer_[5];
  size_t len = size_t(std::clamp<uint64_t>(declared, 10, kBufferSize));
  state_ = State::kExecution;
  started_ = true;
  auto rsp = runner_.run(uint8_t(arbiter_.active()), std::span<const uint8_t>(buffer_.data(), len), kBufferSize,
                         declared > kBufferSize);
  if (!rsp) return;  // hung: START stays 1
  std::copy(rsp->begin(), rsp->end(), buffer_.begin());
  started_ = false;
  state_ = State::kCompletion;
  raise(kIntStart);
}

void CrbDevice::raise(uint32_t bits) { intSts_ |= bits & intEnable_ & kIntStsBits; }

void CrbDevice::localityChanged(int, int newActive) {
  state_ = State::kIdle;
  readyDelay_ = 0;
  started_ = false;
  cancel_ = 0;
  if (newActive >= 0) raise(kIntLocalityChanged);
}

void CrbDevice::saveRegisters(StateWriter& w) const {
  w.u8(uint8_t(state_));
  w.bytes(buffer_);
  w.u32(readyDelay_);
  w.flag(started_);
  w.u32(cancel_);
  w.u32(intEnable_);
  w.u32(intSts_);
  w.u64(droppedBufferWrites_);
  w.u64(ignoredWrites_);
}

void CrbDevice::restoreRegisters(StateReader& r) {
  uint8_t s = r.u8("crb_state");
  if (s > uint8_t(State::kCompletion)) r.fail("crb_state", "value " + std::to_string(s) + " is not 0..4");
  state_ = State(s);
  buffer_ = r.bytes("data_buffer", kBufferSize);
  if (buffer_.size() != kBufferSize) r.fail("data_buffer", "length " + std::to_string(buffer_.size()) + " is not 3968");
  readyDelay_ = r.u32("ready_delay");
  started_ = r.flag("start");
  cancel_ = r.u32("cancel") & 1u;
  intEnable_ = r.u32("int_enable") & kIntEnableWritable;
  intSts_ = r.u32("int_sts") & kIntStsBits;
  droppedBufferWrites_ = r.u64("dropped_buffer_writes");
  ignoredWrites_ = r.u64("ignored_writes");
}

}  // namespace dlsim::tpm
