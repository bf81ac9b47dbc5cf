// Register-level tests of the 16550A model: what a driver's probe and a
// console write observe, and snapshot round trips.
#include "sim/devices/uart16550.h"

#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/tests/devices/snapshot_check.h"

namespace dlsim {
namespace {

class UartTest : public ::testing::Test {
 protected:
  uint8_t rd(uint64_t off, unsigned size = 1) { return static_cast<uint8_t>(u.read(ctx, off, size)); }
  void wr(uint64_t off, uint64_t v, unsigned size = 1) { u.write(ctx, off, size, v); }
  void puts(const std::string& s) {
    for (char c : s) wr(0, static_cast<uint8_t>(c));
  }
  Uart16550 u{"com1"};
  AccessContext ctx{0, 0x3F8, -1};
};

TEST_F(UartTest, ResetValues) {
  EXPECT_EQ(u.name(), "com1");
  EXPECT_EQ(rd(1), 0x00);  // IER
  EXPECT_EQ(rd(2), 0x01);  // IIR: no interrupt, no FIFO
  EXPECT_EQ(rd(3), 0x00);  // LCR
  EXPECT_EQ(rd(4), 0x00);  // MCR
  EXPECT_EQ(rd(5), 0x60);  // LSR: THRE | TEMT
  EXPECT_EQ(rd(6), 0xB0);  // MSR: DCD | DSR | CTS, no deltas
  EXPECT_EQ(rd(7), 0x00);
  EXPECT_EQ(rd(8), 0xFF);  // nothing decodes offset 8
}

TEST_F(UartTest, TransmitIsCapturedInOrder) {
  puts("Hello, DRTM\r\n");
  EXPECT_EQ(u.output(), "Hello, DRTM\r\n");
  EXPECT_EQ(rd(5) & 0x60, 0x60);  // still empty: transmission is instant
}

TEST_F(UartTest, DivisorLatchHidesThrAndIer) {
  wr(3, 0x83);  // DLAB, 8N1
  wr(0, 0x01);  // DLL: 115200 baud
  wr(1, 0x00);  // DLM
  EXPECT_EQ(rd(0), 0x01);
  EXPECT_EQ(rd(1), 0x00);
  EXPECT_EQ(u.output(), "");  // the DLL write was not a transmission
  wr(3, 0x03);
  EXPECT_EQ(rd(3), 0x03);
  EXPECT_EQ(rd(1), 0x00);  // IER untouched by the DLM write
  wr(1, 0xFF);
  EXPECT_EQ(rd(1), 0x0F);  // IER has four bits
  wr(3, 0x80);
  EXPECT_EQ(rd(0), 0x01);  // divisor kept
  EXPECT_EQ(rd(1), 0x00);
}

TEST_F(UartTest, ScratchRegisterHoldsAnyByte) {
  for (int v : {0x00, 0x55, 0xAA, 0xFF}) {
    wr(7, v);
    EXPECT_EQ(rd(7), v);
  }
}

TEST_F(UartTest, FifoEnableShowsInIir) {
  wr(2, 0xC7);  // enable, clear both, trigger 14
  EXPECT_EQ(rd(2), 0xC1);
  wr(2, 0x00);
  EXPECT_EQ(rd(2), 0x01);
  wr(2, 0xC6);  // bits without bit 0 are not programmed
  EXPECT_EQ(rd(2), 0x01);
}

TEST_F(UartTest, LoopbackReceivesWhatIsSentAndMirrorsModemLines) {
  wr(4, 0x10);  // loopback, all outputs off
  // Entering loopback dropped CTS, DSR and DCD: deltas for those three.
  EXPECT_EQ(rd(6), 0x0B);
  EXPECT_EQ(rd(6), 0x00);  // deltas cleared by the read
  wr(0, 'x');
  EXPECT_EQ(u.output(), "");  // nothing leaves the chip in loopback
  EXPECT_EQ(rd(5), 0x61);     // DR
  EXPECT_EQ(rd(0), 'x');
  EXPECT_EQ(rd(5), 0x60);
  wr(4, 0x1F);               // DTR RTS OUT1 OUT2 on
  EXPECT_EQ(rd(6), 0xFB);    // CTS DSR RI DCD + DCTS DDSR DDCD (no TERI on a rising RI)
  wr(4, 0x1B);               // OUT1 off: RI falls
  EXPECT_EQ(rd(6), 0xB4);    // TERI only
}

TEST_F(UartTest, LoopbackOverrunWithoutFifoOverwritesAndSetsOe) {
  wr(4, 0x10);
  wr(0, 'a');
  wr(0, 'b');
  EXPECT_EQ(rd(5), 0x63);  // DR | OE | THRE | TEMT
  EXPECT_EQ(rd(5), 0x61);  // OE clears on read
  EXPECT_EQ(rd(0), 'b');
}

TEST_F(UartTest, LoopbackFifoHoldsSixteen) {
  wr(2, 0x01);
  wr(4, 0x10);
  for (int i = 0; i < 17; ++i) wr(0, 'A' + i);
  EXPECT_EQ(rd(5), 0x63);
  std::string got;
  while (rd(5) & 1) got.push_back(static_cast<char>(rd(0)));
  EXPECT_EQ(got, "ABCDEFGHIJKLMNOP");  // the 17th byte was lost
}

TEST_F(UartTest, QueuedInputIsReceivedWithoutOverrun) {
  u.queueInput("hi!");
  EXPECT_EQ(rd(5), 0x61);
  EXPECT_EQ(rd(0), 'h');
  EXPECT_EQ(rd(0), 'i');
  EXPECT_EQ(rd(0), '!');
  EXPECT_EQ(rd(5), 0x60);
  EXPECT_EQ(rd(0), 0x00);
}

TEST_F(UartTest, IirReportsEnabledConditionsByPriority) {
  wr(1, 0x02);             // THRE interrupt
  EXPECT_EQ(rd(2), 0x02);  // raised on enable since THR is empty
  EXPECT_EQ(rd(2), 0x01);  // acknowledged by the read
  wr(0, 'z');
  EXPECT_EQ(rd(2), 0x02);
  wr(1, 0x0F);
  u.queueInput("q");
  EXPECT_EQ(rd(2), 0x04);  // received data outranks THRE
  wr(4, 0x10);             // loopback; modem deltas pending
  wr(0, 'r');              // overrun of the holding register
  EXPECT_EQ(rd(2), 0x06);  // line status first
  rd(5);
  EXPECT_EQ(rd(2), 0x04);
  rd(0);
  EXPECT_EQ(rd(2), 0x02);
  EXPECT_EQ(rd(2), 0x00);  // modem status last
  rd(6);
  EXPECT_EQ(rd(2), 0x01);
}

TEST_F(UartTest, FifoBelowTriggerReportsCharacterTimeout) {
  wr(2, 0x41);  // FIFO, trigger 4
  wr(1, 0x01);
  u.queueInput("abc");
  EXPECT_EQ(rd(2), 0xCC);
  u.queueInput("d");
  EXPECT_EQ(rd(2), 0xC4);
}

TEST_F(UartTest, WideAccessIsAByteAccessAtTheOffset) {
  wr(7, 0x1234, 2);
  EXPECT_EQ(u.read(ctx, 7, 4), 0x34u);
  u.write(ctx, 0, 4, 0x4241);
  EXPECT_EQ(u.output(), "A");
}

TEST_F(UartTest, SnapshotRoundTripRestoresBehaviour) {
  wr(3, 0x80);
  wr(0, 0x03);
  wr(3, 0x03);
  wr(2, 0x81);
  wr(1, 0x05);
  wr(7, 0x5A);
  puts("boot ok\n");
  wr(4, 0x13);
  wr(0, 'L');
  wr(4, 0x03);
  u.queueInput(std::string(20, 'i'));
  Uart16550 copy("com1");
  testing::expectSnapshotRoundTrip(u, copy);
  AccessContext c{0, 0x3F8, -1};
  EXPECT_EQ(copy.output(), "boot ok\n");
  EXPECT_EQ(copy.read(c, 7, 1), 0x5Au);
  EXPECT_EQ(copy.read(c, 2, 1), 0xC4u);  // FIFO bits, trigger 8 reached
  EXPECT_EQ(copy.read(c, 0, 1), static_cast<uint64_t>('L'));
  EXPECT_EQ(copy.read(c, 4, 1), 0x03u);
  copy.write(c, 3, 1, 0x80);
  EXPECT_EQ(copy.read(c, 0, 1), 0x03u);
  int n = 0;
  copy.write(c, 3, 1, 0x03);
  while (copy.read(c, 5, 1) & 1) {
    copy.read(c, 0, 1);
    ++n;
  }
  EXPECT_EQ(n, 20);  // 15 left in the FIFO plus 5 still queued
}

TEST_F(UartTest, SnapshotOfAnotherKindIsRefused) {
  std::vector<uint8_t> junk = {1, 2, 3, 4, 1};
  try {
    u.restoreState(junk);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("com1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tag"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dlsim
