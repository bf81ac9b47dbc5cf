// 16550A UART register model with instant transmission and captured output
// (see uart16550.h for the choices made where hardware has timing).
#include "sim/devices/uart16550.h"

#include "sim/codec/state_codec.h"
#include "sim/errors.h"

namespace dlsim {

namespace {
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kIerRx = 0x01, kIerThre = 0x02, kIerLsr = 0x04, kIerMsr = 0x08;
constexpr uint8_t kIirNone = 0x01, kIirLsr = 0x06, kIirRx = 0x04, kIirTimeout = 0x0C,
                  kIirThre = 0x02, kIirMsr = 0x00, kIirFifo = 0xC0;
constexpr uint8_t kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40, kMsrDcd = 0x80;
constexpr uint32_t kStateTag = 0x55415254;  // "UART"
constexpr uint8_t kStateVersion = 1;
}  // namespace

Uart16550::Uart16550(std::string name) : name_(std::move(name)) { msr_ = modemInputs(); }

uint8_t Uart16550::modemInputs() const {
  if (!loopback()) return kMsrCts | kMsrDsr | kMsrDcd;  // a ready terminal
  uint8_t m = 0;
  if (mcr_ & 0x01) m |= kMsrDsr;  // DTR
  if (mcr_ & 0x02) m |= kMsrCts;  // RTS
  if (mcr_ & 0x04) m |= kMsrRi;   // OUT1
  if (mcr_ & 0x08) m |= kMsrDcd;  // OUT2
  return m;
}

void Uart16550::setModemInputs(uint8_t lines) {
  uint8_t old = msr_ & 0xF0;
  uint8_t changed = old ^ lines;
  uint8_t delta = 0;
  if (changed & kMsrCts) delta |= 0x01;
  if (changed & kMsrDsr) delta |= 0x02;
  if ((old & kMsrRi) && !(lines & kMsrRi)) delta |= 0x04;  // trailing edge of RI
  if (changed & kMsrDcd) delta |= 0x08;
  msr_ = static_cast<uint8_t>(lines | (msr_ & 0x0F) | delta);
}

void Uart16550::transmit(uint8_t b) {
  if (loopback()) {
    receive(b);
  } else if (output_.size() < kOutputLimit) {
    output_.push_back(static_cast<char>(b));
  } else {
    ++droppedOutput_;
  }
  thrInterrupt_ = true;  // THR is empty again at once
}

void Uart16550::receive(uint8_t b) {
  if (rx_.size() < rxCapacity()) {
    rx_.push_back(b);
    return;
  }
  lsrErrors_ |= kLsrOe;
  // Without FIFO the new byte overwrites the holding register; with FIFO the
  // byte in the shift register is lost and the FIFO is kept.
  if (!fifoEnabled()) rx_.back() = b;
}

void Uart16550::refillFromInput() {
  if (loopback()) return;  // SIN is disconnected from the receiver
  while (!input_.empty() && rx_.size() < rxCapacity()) {
    rx_.push_back(input_.front());
    input_.pop_front();
  }
}

void Uart16550::queueInput(std::string bytes) {
  if (input_.size() + bytes.size() > kInputLimit) {
    throw InputError("serial " + name_ + ": input of " + std::to_string(bytes.size()) +
                     " bytes exceeds the queue limit of " + std::to_string(kInputLimit));
  }
  for (char c : bytes) input_.push_back(static_cast<uint8_t>(c));
  refillFromInput();
}

uint8_t Uart16550::iir() const {
  uint8_t id = kIirNone;
  if ((ier_ & kIerLsr) && (lsrErrors_ & kLsrOe)) {
    id = kIirLsr;
  } else if ((ier_ & kIerRx) && !rx_.empty()) {
    // In FIFO mode data below the trigger level is reported as a character
    // timeout; without timing that timeout is taken to have already passed.
    static constexpr size_t kTrigger[4] = {1, 4, 8, 14};
    id = (!fifoEnabled() || rx_.size() >= kTrigger[fcr_ >> 6]) ? kIirRx : kIirTimeout;
  } else if ((ier_ & kIerThre) && thrInterrupt_) {
    id = kIirThre;
  } else if ((ier_ & kIerMsr) && (msr_ & 0x0F)) {
    id = kIirMsr;
  }
  return static_cast<uint8_t>(id | (fifoEnabled() ? kIirFifo : 0));
}

uint8_t Uart16550::readByte(uint64_t offset) {
  switch (offset) {
    case kRbrThr: {
      if (dlab()) return dll_;
      if (rx_.empty()) return 0;
      uint8_t b = rx_.front();
      rx_.pop_front();
      refillFromInput();
      return b;
    }
    case kIer:
      return dlab() ? dlm_ : ier_;
    case kIirFcr: {
      uint8_t v = iir();
      if ((v & 0x0F) == kIirThre) thrInterrupt_ = false;  // reading IIR acknowledges THRE
      return v;
    }
    case kLcr:
      return lcr_;
    case kMcr:
      return mcr_;
    case kLsr: {
      uint8_t v = static_cast<uint8_t>(kLsrThre | kLsrTemt | lsrErrors_ | (rx_.empty() ? 0 : kLsrDr));
      lsrErrors_ = 0;
      return v;
    }
    case kMsr: {
      uint8_t v = msr_;
      msr_ &= 0xF0;  // deltas clear on read
      return v;
    }
    case kScr:
      return scr_;
    default:
      return 0xFF;
  }
}

void Uart16550::writeByte(uint64_t offset, uint8_t v) {
  switch (offset) {
    case kRbrThr:
      if (dlab()) dll_ = v;
      else transmit(v);
      break;
    case kIer:
      if (dlab()) {
        dlm_ = v;
      } else {
        // Enabling the THRE interrupt while THR is empty raises it at once.
        if ((v & kIerThre) && !(ier_ & kIerThre)) thrInterrupt_ = true;
        ier_ = v & 0x0F;
      }
      break;
    case kIirFcr: {
      uint8_t enable = v & 0x01;
      if (enable != (fcr_ & 0x01)) rx_.clear();  // toggling FIFO mode clears the FIFOs
      if (v & 0x02) rx_.clear();                 // receiver FIFO reset
      // Bits other than 0 are only programmed while FIFOs are enabled;
      // bits 1 and 2 self-clear.
      fcr_ = enable ? static_cast<uint8_t>(v & 0xC9) : 0;
      refillFromInput();
      break;
    }
    case kLcr:
      lcr_ = v;
      break;
    case kMcr:
      mcr_ = v & 0x1F;
      setModemInputs(modemInputs());
      refillFromInput();
      break;
    case kScr:
      scr_ = v;
      break;
    default:
      break;  // LSR and MSR writes are factory-test only; offsets >= 8 decode nothing
  }
}

uint64_t Uart16550::read(const AccessContext&, uint64_t offset, unsigned) { return readByte(offset); }

void Uart16550::write(const AccessContext&, uint64_t offset, unsigned, uint64_t value) {
  writeByte(offset, static_cast<uint8_t>(value));
}

std::vector<uint8_t> Uart16550::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  for (uint8_t r : {ier_, fcr_, lcr_, mcr_, scr_, dll_, dlm_, lsrErrors_, msr_}) w.u8(r);
  w.u8(thrInterrupt_ ? 1 : 0);
  w.bytes(std::vector<uint8_t>(rx_.begin(), rx_.end()));
  w.bytes(std::vector<uint8_t>(input_.begin(), input_.end()));
  w.str(output_);
  w.u64(droppedOutput_);
  return w.take();
}

void Uart16550::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "serial " + name_);
  r.expectHeader(kStateTag, kStateVersion);
  auto masked = [&](const char* field, uint8_t mask) {
    uint8_t v = r.u8(field);
    if (v & ~mask) r.fail(field, "value " + std::to_string(v) + " has bits outside the register");
    return v;
  };
  Uart16550 s(name_);
  s.ier_ = masked("ier", 0x0F);
  s.fcr_ = masked("fcr", 0xC9);
  s.lcr_ = r.u8("lcr");
  s.mcr_ = masked("mcr", 0x1F);
  s.scr_ = r.u8("scr");
  s.dll_ = r.u8("dll");
  s.dlm_ = r.u8("dlm");
  s.lsrErrors_ = masked("lsr_errors", kLsrOe);
  s.msr_ = r.u8("msr");
  s.thrInterrupt_ = masked("thr_interrupt", 1) != 0;
  std::vector<uint8_t> rx = r.bytes("rx", 16);
  if (rx.size() > s.rxCapacity()) r.fail("rx", "holds more bytes than the receiver");
  s.rx_.assign(rx.begin(), rx.end());
  std::vector<uint8_t> in = r.bytes("input", kInputLimit);
  s.input_.assign(in.begin(), in.end());
  s.output_ = r.str("output", kOutputLimit);
  s.droppedOutput_ = r.u64("dropped_output");
  r.expectEnd();
  *this = std::move(s);
}

}  // namespace dlsim
