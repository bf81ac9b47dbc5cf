#include "sim/bus.h"

#include <gtest/gtest.h>

#include "sim/errors.h"

namespace dlsim {
namespace {

// A tiny device that remembers the last access.
class Probe : public Device {
 public:
  explicit Probe(std::string n) : name_(std::move(n)) {}
  std::string name() const override { return name_; }
  uint64_t read(const AccessContext& c, uint64_t off, unsigned size) override {
    last = c;
    lastOff = off;
    lastSize = size;
    return 0x1000 + off;
  }
  void write(const AccessContext& c, uint64_t off, unsigned size, uint64_t v) override {
    last = c;
    lastOff = off;
    lastSize = size;
    lastValue = v;
  }
  AccessContext last;
  uint64_t lastOff = 0, lastValue = 0;
  unsigned lastSize = 0;

 private:
  std::string name_;
};

TEST(Bus, DispatchesMmioRelativeToBaseWithTheCallingCpu) {
  Bus bus;
  Probe a("a");
  bus.mapMmio(0xfed40000, 0x5000, &a);
  EXPECT_EQ(bus.mmioRead(3, 0xfed41004, 4), 0x1000u + 0x1004);
  EXPECT_EQ(a.last.cpu, 3);
  EXPECT_EQ(a.last.address, 0xfed41004u);
  bus.mmioWrite(1, 0xfed44fff, 1, 0xab);
  EXPECT_EQ(a.lastOff, 0x4fffu);
  EXPECT_EQ(a.lastValue, 0xabu);
}

TEST(Bus, OverlapIsAnErrorNamingBothDevices) {
  Bus bus;
  Probe a("tpm"), b("txt");
  bus.mapMmio(0x1000, 0x1000, &a);
  try {
    bus.mapMmio(0x1800, 0x1000, &b);
    FAIL() << "no error";
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("tpm"), std::string::npos) << m;
    EXPECT_NE(m.find("txt"), std::string::npos) << m;
  }
  // Touching but not overlapping is fine.
  bus.mapMmio(0x2000, 0x1000, &b);
  EXPECT_EQ(bus.findMmio(0x1fff)->device, &a);
  EXPECT_EQ(bus.findMmio(0x2000)->device, &b);
  EXPECT_EQ(bus.findMmio(0x3000), nullptr);
}

TEST(Bus, UnclaimedAccessReadsAllOnesAndIsRecorded) {
  Bus bus;
  EXPECT_EQ(bus.portRead(0, 0x80, 1), 0xffu);
  EXPECT_EQ(bus.portRead(0, 0x80, 2), 0xffffu);
  EXPECT_EQ(bus.mmioRead(2, 0xdead0000, 8), ~0ull);
  bus.portWrite(1, 0x70, 1, 5);
  ASSERT_EQ(bus.unclaimed().size(), 4u);
  EXPECT_TRUE(bus.unclaimed()[3].write);
  EXPECT_FALSE(bus.unclaimed()[3].mmio);
  EXPECT_EQ(bus.unclaimed()[3].cpu, 1);
}

TEST(Bus, PortRangesDispatch) {
  Bus bus;
  Probe uart("uart0");
  bus.mapPorts(0x3f8, 8, &uart);
  bus.portWrite(0, 0x3f8, 1, 'A');
  EXPECT_EQ(uart.lastOff, 0u);
  EXPECT_EQ(uart.lastValue, static_cast<uint64_t>('A'));
  EXPECT_THROW(bus.mapPorts(0x3fc, 8, &uart), InputError);
  EXPECT_THROW(bus.mapPorts(0xfffe, 8, &uart), InputError);
}

}  // namespace
}  // namespace dlsim
