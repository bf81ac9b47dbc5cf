// D18F0 / D18F3 config registers: identity, the DEV capability and its
// DEV_OP / DEV_DATA indirection with write masks, MEMPROT_CR, and releasing
// SKINIT's SLB protection the way SKL's dev.c does (read-modify-write).
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/northbridge/amd_northbridge.h"
#include "svm_model/northbridge/dev_registers.h"
#include "svm_model/northbridge/tests/map_config_space.h"

namespace dlsim::svm {
namespace {

const AccessContext kCpu = AccessContext::fromCpu(0);

using testing::MapConfigSpace;

NorthbridgeOptions legacy(unsigned nodes = 1) {
  NorthbridgeOptions o;
  o.release = SlbRelease::kLegacyDev;
  o.nodes = nodes;
  o.f0DeviceId = 0x1600;
  o.f3DeviceId = 0x1603;
  o.devDomains = 4;
  o.devMaps = 2;
  return o;
}

// DEV_OP := function/index, then DEV_DATA.
uint32_t devRead(PciFunction& f3, uint8_t function, uint8_t index = 0) {
  f3.writeConfig(kCpu, dev::kOpOffset, 4, static_cast<uint32_t>(function) << 8 | index);
  return f3.readConfig(kCpu, dev::kDataOffset, 4);
}
void devWrite(PciFunction& f3, uint8_t function, uint8_t index, uint32_t v) {
  f3.writeConfig(kCpu, dev::kOpOffset, 4, static_cast<uint32_t>(function) << 8 | index);
  f3.writeConfig(kCpu, dev::kDataOffset, 4, v);
}

TEST(NorthbridgeTest, FunctionsIdentifyThemselvesAtTheirAddresses) {
  SlDevProtection slb(2);
  AmdNorthbridge nb(legacy(2), slb);
  MapConfigSpace config;
  nb.attach(config);
  ASSERT_EQ(config.functions.size(), 4u);
  EXPECT_EQ(config.functionAt({0, 0x18, 0}), &nb.f0(0));
  EXPECT_EQ(config.functionAt({0, 0x19, 3}), &nb.f3(1));
  EXPECT_EQ(AmdNorthbridge::f3Address(1).bdf(), 0x00cbu);  // 0x19 << 3 | 3
  PciFunction& f0 = nb.f0(0);
  EXPECT_EQ(f0.readConfig(kCpu, 0, 4), 0x16001022u);
  EXPECT_EQ(f0.readConfig(kCpu, 2, 2), 0x1600u);
  EXPECT_EQ(f0.readConfig(kCpu, 0x0b, 1), 0x06u);  // base class: bridge
  EXPECT_EQ(f0.readConfig(kCpu, 0x0e, 1), 0x80u);  // multi-function
  EXPECT_EQ(nb.f3(1).readConfig(kCpu, 0, 4), 0x16031022u);
  EXPECT_EQ(nb.f0(1).name(), "amd-nb1-f0");
  EXPECT_EQ(nb.f3(0).name(), "amd-nb0-f3");
}

TEST(NorthbridgeTest, LegacyPartsListTheDevCapabilityAtF0) {
  SlDevProtection slb;
  AmdNorthbridge nb(legacy(), slb);
  PciFunction& f3 = nb.f3(0);
  EXPECT_EQ(f3.readConfig(kCpu, 0x06, 2) & 0x10u, 0x10u);  // status: capability list
  EXPECT_EQ(f3.readConfig(kCpu, 0x34, 1), 0xf0u);
  EXPECT_EQ(f3.readConfig(kCpu, 0xf0, 1), 0x0fu);  // capability id
  EXPECT_EQ(f3.readConfig(kCpu, 0xf1, 1), 0x00u);  // no next capability
  // DEV_CAP: maps in 23:16, domains in 15:8 (what amd_dev.c reads).
  EXPECT_EQ(devRead(f3, dev::kCap), 2u << 16 | 4u << 8);
  // MEMPROT_CR is not there on these parts.
  slb.protectSlb(0x1000000);
  nb.f0(0).writeConfig(kCpu, 0x384, 4, 0);
  EXPECT_EQ(nb.f0(0).readConfig(kCpu, 0x384, 4), 0u);
  EXPECT_TRUE(slb.active());
}

TEST(NorthbridgeTest, DevOpSelectsRegistersAndWritesKeepTheirMasks) {
  SlDevProtection slb;
  AmdNorthbridge nb(legacy(), slb);
  PciFunction& f3 = nb.f3(0);
  f3.writeConfig(kCpu, dev::kOpOffset, 4, 0xffffffffu);
  EXPECT_EQ(f3.readConfig(kCpu, dev::kOpOffset, 4), 0xffffu);  // 15:8 function, 7:0 index
  f3.writeConfig(kCpu, dev::kOpOffset, 4, 0);
  f3.writeConfig(kCpu, dev::kOpOffset + 1, 1, dev::kBaseLo);  // a byte write of the function
  f3.writeConfig(kCpu, dev::kOpOffset, 1, 1);                  // and of the index
  EXPECT_EQ(f3.readConfig(kCpu, dev::kOpOffset, 2), 0x0001u);
  f3.writeConfig(kCpu, dev::kDataOffset, 4, 0xffffffffu);
  EXPECT_EQ(devRead(f3, dev::kBaseLo, 1), 0xfffff07fu);  // bits 11:7 reserved
  EXPECT_EQ(devRead(f3, dev::kBaseLo, 0), 0u);
  EXPECT_EQ(devRead(f3, dev::kBaseLo, 2), 0u);  // only 2 maps: index 2 reads 0
  devWrite(f3, dev::kBaseLo, 2, 0x12345001u);
  EXPECT_EQ(devRead(f3, dev::kBaseLo, 2), 0u);  // and drops writes
  devWrite(f3, dev::kBaseHi, 1, 0xab);
  EXPECT_EQ(devRead(f3, dev::kBaseHi, 1), 0xabu);
  devWrite(f3, dev::kMap, 3, 0x00345fffu);
  EXPECT_EQ(devRead(f3, dev::kMap, 3), 0x00345000u);
  devWrite(f3, dev::kCap, 0, 0);
  EXPECT_EQ(devRead(f3, dev::kCap), 2u << 16 | 4u << 8);  // read-only
  devWrite(f3, dev::kCr, 0, 0xffffffffu);
  // DEV_EN, MEM_CLR, IOSP_EN, MCE_EN, WALK_PROBE stay; INV_CACHE reads 0;
  // SL_DEV_EN only shows SKINIT's protection.
  EXPECT_EQ(devRead(f3, dev::kCr), 0x4fu);
  EXPECT_EQ(devRead(f3, dev::kErrStatus), 0u);
  EXPECT_EQ(devRead(f3, 9), 0u);  // no such function
}

TEST(NorthbridgeTest, ClearingSlDevEnReleasesTheSlbOnThatNode) {
  SlDevProtection slb(2);
  AmdNorthbridge nb(legacy(2), slb);
  slb.protectSlb(0x2000000);
  for (unsigned n = 0; n < 2; ++n) EXPECT_EQ(devRead(nb.f3(n), dev::kCr) & dev::kCrSlDevEn, dev::kCrSlDevEn);
  // SKL's dev_disable_sl: read DEV_CR, clear bit 5, write it back.
  const uint32_t cr = devRead(nb.f3(0), dev::kCr);
  devWrite(nb.f3(0), dev::kCr, 0, cr & ~dev::kCrSlDevEn);
  EXPECT_FALSE(slb.enabledOn(0));
  EXPECT_TRUE(slb.active());  // node 1 still holds it
  EXPECT_EQ(devRead(nb.f3(1), dev::kCr), dev::kCrSlDevEn);
  devWrite(nb.f3(1), dev::kCr, 0, dev::kCrDevEn);
  EXPECT_FALSE(slb.active());
  EXPECT_EQ(devRead(nb.f3(1), dev::kCr), dev::kCrDevEn);
  // Writing SL_DEV_EN back does not re-arm it: only SKINIT does.
  devWrite(nb.f3(1), dev::kCr, 0, dev::kCrSlDevEn);
  EXPECT_FALSE(slb.active());
}

TEST(NorthbridgeTest, Family17hReleasesThroughMemprotCr) {
  SlDevProtection slb;
  NorthbridgeOptions o;  // family 17h defaults: MEMPROT_CR
  AmdNorthbridge nb(o, slb);
  PciFunction& f0 = nb.f0(0);
  EXPECT_EQ(f0.readConfig(kCpu, 0, 4), 0x14601022u);
  EXPECT_EQ(f0.readConfig(kCpu, 0x384, 4), 0u);
  slb.protectSlb(0x3000000);
  EXPECT_EQ(f0.readConfig(kCpu, 0x384, 4), 1u);
  EXPECT_EQ(f0.readConfig(kCpu, 0x384, 1), 1u);
  f0.writeConfig(kCpu, 0x385, 1, 0);  // does not reach bit 0
  EXPECT_TRUE(slb.active());
  f0.writeConfig(kCpu, 0x384, 4, 1);  // keeps it
  EXPECT_TRUE(slb.active());
  f0.writeConfig(kCpu, 0x384, 4, 0xfffffffeu);  // SKL: MEMPROT_EN := 0
  EXPECT_FALSE(slb.active());
  EXPECT_EQ(f0.readConfig(kCpu, 0x384, 4), 0u);
  // No DEV capability: the list is empty and 0xF0 reads 0 (SKL-A stops there).
  PciFunction& f3 = nb.f3(0);
  EXPECT_EQ(f3.readConfig(kCpu, 0x06, 2) & 0x10u, 0u);
  EXPECT_EQ(f3.readConfig(kCpu, 0x34, 1), 0u);
  EXPECT_EQ(f3.readConfig(kCpu, 0xf0, 4), 0u);
  f3.writeConfig(kCpu, dev::kOpOffset, 4, 0x0400);
  EXPECT_EQ(f3.readConfig(kCpu, dev::kOpOffset, 4), 0u);
}

TEST(NorthbridgeTest, OptionsOutsideTheModelAreInputErrors) {
  SlDevProtection slb;
  NorthbridgeOptions o;
  o.nodes = 0;
  EXPECT_THROW(AmdNorthbridge(o, slb), InputError);
  o.nodes = 2;  // the SLB protection has one
  EXPECT_THROW(AmdNorthbridge(o, slb), InputError);
  o.nodes = 9;
  SlDevProtection eight(8);
  EXPECT_THROW(AmdNorthbridge(o, eight), InputError);
}

TEST(NorthbridgeTest, DevRegistersSurviveASnapshot) {
  SlDevProtection slb;
  AmdNorthbridge nb(legacy(), slb);
  PciFunction& f3 = nb.f3(0);
  devWrite(f3, dev::kBaseLo, 1, 0x00400003u);
  devWrite(f3, dev::kCr, 0, dev::kCrDevEn);
  const std::vector<uint8_t> saved = f3.saveState();
  devWrite(f3, dev::kBaseLo, 1, 0);
  devWrite(f3, dev::kCr, 0, 0);
  f3.restoreState(saved);
  EXPECT_EQ(f3.readConfig(kCpu, dev::kOpOffset, 4), dev::kCr << 8);
  EXPECT_EQ(devRead(f3, dev::kBaseLo, 1), 0x00400003u);
  EXPECT_EQ(devRead(f3, dev::kCr), dev::kCrDevEn);
  std::vector<uint8_t> cut(saved.begin(), saved.end() - 2);
  EXPECT_THROW(f3.restoreState(cut), InputError);
}

}  // namespace
}  // namespace dlsim::svm

namespace dlsim::svm {
namespace {

TEST(NorthbridgeTest, ResetClearsTheDevRegisters) {
  SlDevProtection slb;
  AmdNorthbridge nb(legacy(), slb);
  PciFunction& f3 = nb.f3(0);
  devWrite(f3, dev::kBaseLo, 0, 0x00400003u);
  devWrite(f3, dev::kCr, 0, dev::kCrDevEn | dev::kCrMceEn);
  nb.reset();
  EXPECT_EQ(f3.readConfig(kCpu, dev::kOpOffset, 4), 0u);
  EXPECT_EQ(devRead(f3, dev::kBaseLo, 0), 0u);
  EXPECT_EQ(devRead(f3, dev::kCr), 0u);
  EXPECT_EQ(devRead(f3, dev::kCap), 2u << 16 | 4u << 8);  // the geometry stays
}

}  // namespace
}  // namespace dlsim::svm
