// A 16550A UART on eight I/O ports (COM1 at 0x3F8, COM2 at 0x2F8, ...).
// Guest output is what dlsim reports as "serial text", so the model keeps the
// register semantics a real driver probes (scratch register, divisor latch,
// loopback self-test, FIFO identification in IIR) while transmitting
// instantly: THR is always empty, LSR.THRE and LSR.TEMT always read 1.
//
// Sizes: the 16550 is a byte device. An access of 2, 4 or 8 bytes is handled
// as a one-byte access at its offset (a read returns that byte zero-extended;
// a write uses bits 7:0 of the value). Offsets 8 and above read 0xFF and drop
// writes (nothing decodes them).
//
// Modem lines: outside loopback the far end is modelled as a ready terminal
// (CTS, DSR and DCD asserted, RI not). In loopback (MCR bit 4) the outputs
// feed the inputs as the datasheet describes (RTS->CTS, DTR->DSR, OUT1->RI,
// OUT2->DCD), transmitted bytes are received and nothing reaches output().
//
// Interrupts are not raised (no interrupt controller yet), but IIR reports
// the highest-priority condition enabled in IER exactly as the chip would.
#pragma once
#include <cstdint>
#include <deque>
#include <string>

#include "sim/device.h"

namespace dlsim {

class Uart16550 : public Device {
 public:
  // Captured output beyond this many bytes is counted, not stored.
  static constexpr size_t kOutputLimit = 16 * 1024 * 1024;
  // Host input waiting to enter the receiver, at most.
  static constexpr size_t kInputLimit = 1024 * 1024;

  explicit Uart16550(std::string name);

  std::string name() const override { return name_; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  // Bytes the guest transmitted (outside loopback), in order.
  const std::string& output() const { return output_; }
  // Bytes transmitted after output() reached kOutputLimit.
  uint64_t droppedOutput() const { return droppedOutput_; }
  // Bytes the far end sends; they enter the receiver as the guest reads
  // (no overrun for host input). Throws InputError beyond kInputLimit.
  void queueInput(std::string bytes);

  // Register offsets.
  enum : uint8_t { kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };

 private:
  size_t rxCapacity() const { return fifoEnabled() ? 16 : 1; }
  bool fifoEnabled() const { return (fcr_ & 0x01) != 0; }
  bool loopback() const { return (mcr_ & 0x10) != 0; }
  bool dlab() const { return (lcr_ & 0x80) != 0; }
  uint8_t modemInputs() const;  // MSR bits 7:4 for the current MCR
  void setModemInputs(uint8_t newHigh);
  void transmit(uint8_t b);
  void receive(uint8_t b);  // a byte arriving at the receiver (loopback)
  void refillFromInput();
  uint8_t iir() const;
  uint8_t readByte(uint64_t offset);
  void writeByte(uint64_t offset, uint8_t v);

  std::string name_;
  uint8_t ier_ = 0, fcr_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0;
  uint8_t dll_ = 0x0C, dlm_ = 0;  // 9600 baud, what a PC BIOS programs
  uint8_t lsrErrors_ = 0;         // OE (bit 1); cleared by reading LSR
  uint8_t msr_ = 0;               // bits 7:4 lines, 3:0 deltas
  bool thrInterrupt_ = false;     // THR-empty interrupt latched
  std::deque<uint8_t> rx_;        // receiver FIFO (or holding register)
  std::deque<uint8_t> input_;     // host input not yet received
  std::string output_;
  uint64_t droppedOutput_ = 0;
};

}  // namespace dlsim
