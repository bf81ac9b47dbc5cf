// Configuration mechanism #1 through the bus's ports: the CONFIG_ADDRESS
// decode (bus, device, function, register; the enable bit; AMD's extended
// register bits on and off), the CONFIG_DATA byte lanes, and which accesses
// are no configuration access at all.
#include <gtest/gtest.h>

#include "sim/bus.h"
#include "sim/pci/platform_pci_config_space.h"
#include "sim/tests/pci/fake_pci_function.h"

namespace dlsim {
namespace {

using test::ConfigAccess;
using test::configReply;
using test::FakePciFunction;

const AccessContext kCpu1 = AccessContext::fromCpu(1);

struct Rig {
  Bus bus;
  PlatformPciConfigSpace pci{bus};
  FakePciFunction nb{"nb-f0"};       // 00:18.0
  FakePciFunction dev{"nb-f3", 7};   // 00:18.3
  FakePciFunction far{"far", 3};     // 5a:1f.7
  Rig() {
    pci.attach({0, 0x18, 0}, &nb);
    pci.attach({0, 0x18, 3}, &dev);
    pci.attach({0x5a, 0x1f, 7}, &far);
  }
  void address(uint32_t v) { bus.portWrite(kCpu1, 0xcf8, 4, v); }
};

TEST(Cf8CfcPorts, DecodesBusDeviceFunctionAndRegister) {
  Rig r;
  r.address(0x8000c3f0);  // enable, bus 0, device 0x18, function 3, register 0xf0
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfc, 4), configReply(0xf0, 4, 7));
  r.address(0x805affa4);  // bus 0x5a, device 0x1f, function 7, register 0xa4
  r.bus.portWrite(kCpu1, 0xcfc, 4, 0x12345678);
  EXPECT_EQ(r.far.accesses, (std::vector<ConfigAccess>{{true, 0xa4, 4, 0x12345678, 1}}));
  EXPECT_EQ(r.dev.accesses, (std::vector<ConfigAccess>{{false, 0xf0, 4, configReply(0xf0, 4, 7), 1}}));
  EXPECT_TRUE(r.nb.accesses.empty());
}

TEST(Cf8CfcPorts, DataPortByteLanesReachRegisterPlusLane) {
  Rig r;
  r.address(0x8000c040);  // 00:18.0 register 0x40
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfd, 1), configReply(0x41, 1));
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfe, 2), configReply(0x42, 2));
  r.bus.portWrite(kCpu1, 0xcff, 1, 0xab);
  r.bus.portWrite(kCpu1, 0xcfc, 2, 0xbeef);
  r.bus.portWrite(kCpu1, 0xcfd, 2, 0xcafe);  // bytes 1..2: inside the dword
  const std::vector<ConfigAccess> want = {{false, 0x41, 1, configReply(0x41, 1), 1},
                                          {false, 0x42, 2, configReply(0x42, 2), 1},
                                          {true, 0x43, 1, 0xab, 1},
                                          {true, 0x40, 2, 0xbeef, 1},
                                          {true, 0x41, 2, 0xcafe, 1}};
  EXPECT_EQ(r.nb.accesses, want);
}

TEST(Cf8CfcPorts, DataAccessRunningPastCfFIsNoConfigAccess) {
  Rig r;
  r.address(0x8000c040);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfe, 4), 0xffffffffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfd, 4), 0xffffffffu);
  r.bus.portWrite(kCpu1, 0xcff, 2, 0x1234);
  EXPECT_TRUE(r.nb.accesses.empty());
  EXPECT_EQ(r.bus.unclaimedCount(), 0u);  // the data port took them
}

TEST(Cf8CfcPorts, EnableBitClearReadsAllOnesAndDropsWrites) {
  Rig r;
  r.address(0x0000c040);  // 00:18.0 register 0x40 but bit 31 clear
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfc, 4), 0xffffffffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfe, 2), 0xffffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcff, 1), 0xffu);
  r.bus.portWrite(kCpu1, 0xcfc, 4, 0);
  EXPECT_TRUE(r.nb.accesses.empty());
}

TEST(Cf8CfcPorts, ConfigAddressReadsBackWithReservedBitsZero) {
  Rig r;
  r.address(0xffffffff);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 4), 0x80fffffcu);
  r.pci.setCf8Extended(true);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 4), 0x8ffffffcu);
  EXPECT_EQ(r.pci.configAddress(), 0x8ffffffcu);
}

TEST(Cf8CfcPorts, ExtendedBitsAreRegisterBits11To8OnlyWhenOn) {
  Rig r;
  // MEMPROT_CR, 00:18.0 register 0x384: register bits 11:8 = 3 in bits 27:24.
  r.address(0x8300c084);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfc, 4), configReply(0x84, 4));  // off: register 0x84
  r.pci.setCf8Extended(true);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfc, 4), configReply(0x384, 4));
  r.bus.portWrite(kCpu1, 0xcfc, 1, 0xfe);
  r.pci.setCf8Extended(false);
  r.bus.portWrite(kCpu1, 0xcfe, 1, 0x01);
  const std::vector<ConfigAccess> want = {{false, 0x84, 4, configReply(0x84, 4), 1},
                                          {false, 0x384, 4, configReply(0x384, 4), 1},
                                          {true, 0x384, 1, 0xfe, 1},
                                          {true, 0x86, 1, 0x01, 1}};
  EXPECT_EQ(r.nb.accesses, want);
}

TEST(Cf8CfcPorts, NonDwordAccessToCf8IsNoConfigAccess) {
  Rig r;
  r.address(0x8000c040);
  r.bus.portWrite(kCpu1, 0xcf8, 1, 0x00);  // would clear the low byte if taken
  r.bus.portWrite(kCpu1, 0xcf8, 2, 0x0000);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 1), 0xffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 2), 0xffffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 4), 0x8000c040u);
  EXPECT_EQ(r.bus.unclaimedCount(), 0u);
}

TEST(Cf8CfcPorts, PortsCf9ToCfbStayUnclaimed) {
  Rig r;
  r.bus.portWrite(kCpu1, 0xcf9, 1, 0x0e);  // a PC chipset's reset control: nothing here
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfa, 2), 0xffffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfb, 1), 0xffu);
  ASSERT_EQ(r.bus.unclaimedCount(), 3u);
  EXPECT_EQ(r.bus.unclaimed()[0].address, 0xcf9u);
  EXPECT_TRUE(r.bus.unclaimed()[0].write);
  EXPECT_EQ(r.bus.unclaimed()[0].value, 0x0eu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 4), 0u);  // the latch saw none of it
}

TEST(Cf8CfcPorts, AbsentFunctionReadsAllOnesAndDropsWrites) {
  Rig r;
  r.address(0x8000c100);  // 00:18.1: nothing attached
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfc, 4), 0xffffffffu);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfe, 2), 0xffffu);
  r.bus.portWrite(kCpu1, 0xcfc, 4, 0);
  EXPECT_TRUE(r.nb.accesses.empty());
  EXPECT_TRUE(r.dev.accesses.empty());
  EXPECT_EQ(r.bus.unclaimedCount(), 0u);  // probing is normal: nothing recorded
}

TEST(Cf8CfcPorts, ResetClearsTheLatch) {
  Rig r;
  r.pci.setCf8Extended(true);
  r.address(0x8300c084);
  r.pci.reset();
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcf8, 4), 0u);
  EXPECT_EQ(r.bus.portRead(kCpu1, 0xcfc, 4), 0xffffffffu);
  EXPECT_TRUE(r.pci.cf8Extended());  // the model's NB_CFG owns it
}

}  // namespace
}  // namespace dlsim
