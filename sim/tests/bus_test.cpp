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

TEST(Bus, AccessesCarryTheRequesterAndLocality) {
  Bus bus;
  Probe tpm("tpm");
  bus.mapMmio(0xfed40000, 0x5000, &tpm);
  // A launch model's locality-4 write goes through the same path as a guest's.
  bus.mmioWrite(AccessContext::fromPlatform(4), 0xfed44028, 1, 0);
  EXPECT_EQ(tpm.last.requester, Requester::kPlatform);
  EXPECT_EQ(tpm.last.locality, 4);
  EXPECT_EQ(tpm.last.cpu, AccessContext::kNoCpu);
  EXPECT_EQ(tpm.last.address, 0xfed44028u);
  EXPECT_EQ(tpm.lastOff, 0x4028u);
  bus.mmioRead(AccessContext::fromCpu(2, 3), 0xfed43000, 4);
  EXPECT_EQ(tpm.last.requester, Requester::kCpu);
  EXPECT_EQ(tpm.last.cpu, 2);
  EXPECT_EQ(tpm.last.locality, 3);
  bus.mmioRead(AccessContext::fromDma(0x00f8), 0xfed40000, 1);
  EXPECT_EQ(tpm.last.requester, Requester::kDma);
  EXPECT_EQ(tpm.last.requesterId, 0xf8u);
  bus.mmioRead(AccessContext::fromDma(0x00f8), 0x1000, 1);
  ASSERT_EQ(bus.unclaimed().size(), 1u);
  EXPECT_EQ(bus.unclaimed()[0].requester, Requester::kDma);
}

class CountingObserver : public MmioMapObserver {
 public:
  void mmioWindowsChanged() override { ++changes; }
  int changes = 0;
};

TEST(Bus, WindowsMapUnmapEnableAndDisableAtAnyTime) {
  Bus bus;
  Probe txt("txt-private");
  CountingObserver seen;
  bus.addObserver(&seen);
  bus.mapMmio(0xfed20000, 0x10000, &txt);
  EXPECT_EQ(seen.changes, 1);
  EXPECT_EQ(bus.mmioRead(0, 0xfed20008, 4), 0x1008u);
  bus.setMmioEnabled(0xfed20000, false);
  EXPECT_EQ(seen.changes, 2);
  // Closed: all ones, the write dropped, both recorded; the range stays owned.
  EXPECT_EQ(bus.mmioRead(0, 0xfed20008, 4), 0xffffffffu);
  txt.lastValue = 0;
  bus.mmioWrite(0, 0xfed20010, 4, 0x55);
  EXPECT_EQ(txt.lastValue, 0u);
  EXPECT_EQ(bus.unclaimed().size(), 2u);
  Probe other("other");
  EXPECT_THROW(bus.mapMmio(0xfed28000, 0x1000, &other), InputError);
  bus.setMmioEnabled(0xfed20000, false);  // no change: observers not told
  EXPECT_EQ(seen.changes, 2);
  bus.setMmioEnabled(0xfed20000, true);
  EXPECT_EQ(bus.mmioRead(0, 0xfed20008, 4), 0x1008u);
  bus.unmapMmio(0xfed20000);
  EXPECT_EQ(seen.changes, 4);
  EXPECT_EQ(bus.findMmio(0xfed20008), nullptr);
  EXPECT_EQ(bus.mmioRead(0, 0xfed20008, 4), 0xffffffffu);
  EXPECT_THROW(bus.unmapMmio(0xfed20000), InternalError);
  EXPECT_THROW(bus.setMmioEnabled(0xfed20000, true), InternalError);
  bus.removeObserver(&seen);
  bus.mapMmio(0xfed28000, 0x1000, &other);
  EXPECT_EQ(seen.changes, 4);
}

}  // namespace
}  // namespace dlsim
