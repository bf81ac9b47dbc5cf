// Local APIC tests: IPIs seen by a recording IpiSink, the APIC_BASE state
// machine, x2APIC MSR rules, ID formats, reset values, the timer against a
// hand-driven clock, IRR/ISR/PPR bookkeeping and snapshots. Expected values
// are worked out from the SDM by hand in each test.
#include "cpu_model/lapic.h"

#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/tests/devices/snapshot_check.h"

namespace dlsim {
namespace {

class RecordingSink : public IpiSink {
 public:
  explicit RecordingSink(int n) : n_(n) {}
  int cpuCount() const override { return n_; }
  bool deliverInit(int t) override {
    log.push_back("init " + std::to_string(t));
    return true;
  }
  void deliverSipi(int t, uint8_t v) override { log.push_back("sipi " + std::to_string(t) + " " + hex(v)); }
  void deliverFixed(int t, uint8_t v) override { log.push_back("fixed " + std::to_string(t) + " " + hex(v)); }
  void deliverNmi(int t) override { log.push_back("nmi " + std::to_string(t)); }
  std::vector<std::string> take() { return std::exchange(log, {}); }
  std::vector<std::string> log;

 private:
  int n_;
};

using Log = std::vector<std::string>;

class LapicTest : public ::testing::Test {
 protected:
  void make(int n, std::vector<uint32_t> ids = {}, int bsp = 0) {
    sink = std::make_unique<RecordingSink>(n);
    LapicOptions o;
    o.cpuCount = n;
    o.apicIds = std::move(ids);
    o.bspCpu = bsp;
    o.now = [this] { return clock; };
    apic = std::make_unique<LocalApics>(std::move(o), *sink);
  }
  uint32_t rd(int cpu, uint32_t off, unsigned size = 4) {
    return static_cast<uint32_t>(apic->read(AccessContext{cpu, 0xFEE00000 + off, -1}, off, size));
  }
  void wr(int cpu, uint32_t off, uint32_t v, unsigned size = 4) {
    apic->write(AccessContext{cpu, 0xFEE00000 + off, -1}, off, size, v);
  }
  void icr(int cpu, uint32_t high, uint32_t low) {
    wr(cpu, 0x310, high);
    wr(cpu, 0x300, low);
  }
  void toX2apic(int cpu) { ASSERT_TRUE(apic->writeMsr(cpu, 0x1B, 0xFEE00000 | 0xC00 | (apic->apicBase(cpu) & 0x100))); }

  uint64_t clock = 0;
  std::unique_ptr<RecordingSink> sink;
  std::unique_ptr<LocalApics> apic;
};

TEST_F(LapicTest, InitAndStartupToOneCpuByPhysicalId) {
  make(4, {0, 2, 4, 6});
  icr(0, 4u << 24, 0x00004500);  // INIT, level assert, physical, edge
  EXPECT_EQ(sink->take(), (Log{"init 2"}));
  icr(0, 4u << 24, 0x00004698);  // start-up, vector 0x98
  EXPECT_EQ(sink->take(), (Log{"sipi 2 0x98"}));
  EXPECT_EQ(rd(0, 0x300), 0x4698u);  // delivery status (bit 12) idle
  EXPECT_EQ(rd(0, 0x310), 4u << 24);
  icr(0, 5u << 24, 0x00004500);  // no CPU has ID 5
  EXPECT_EQ(sink->take(), Log{});
}

TEST_F(LapicTest, AllExcludingSelfAndAllIncludingSelf) {
  make(4);
  icr(1, 0, 0x000C4500);  // INIT, all excluding self
  EXPECT_EQ(sink->take(), (Log{"init 0", "init 2", "init 3"}));
  icr(1, 0, 0x000C4610);  // SIPI vector 0x10, all excluding self
  EXPECT_EQ(sink->take(), (Log{"sipi 0 0x10", "sipi 2 0x10", "sipi 3 0x10"}));
  icr(2, 0, 0x00080041);  // fixed 0x41, all including self
  EXPECT_EQ(sink->take(), (Log{"fixed 0 0x41", "fixed 1 0x41", "fixed 2 0x41", "fixed 3 0x41"}));
  icr(2, 0, 0x00040042);  // fixed 0x42 to self
  EXPECT_EQ(sink->take(), (Log{"fixed 2 0x42"}));
  icr(2, 0xFFu << 24, 0x00000043);  // physical broadcast 0xFF includes self
  EXPECT_EQ(sink->take(), (Log{"fixed 0 0x43", "fixed 1 0x43", "fixed 2 0x43", "fixed 3 0x43"}));
  icr(2, 0, 0x00044500);  // INIT to self is not a valid combination
  EXPECT_EQ(sink->take(), Log{});
  EXPECT_EQ(apic->counters().invalidIcrWrites, 1u);
}

TEST_F(LapicTest, InitLevelDeassertIsIgnored) {
  make(2);
  icr(0, 0, 0x000C8500);  // INIT, level 0, trigger level, all excluding self
  EXPECT_EQ(sink->take(), Log{});
  EXPECT_EQ(apic->counters().initDeassertsIgnored, 1u);
}

TEST_F(LapicTest, NmiSmiAndLowestPriority) {
  make(4, {0, 2, 4, 6});
  icr(0, 6u << 24, 0x00000400);  // NMI to ID 6 = cpu 3
  EXPECT_EQ(sink->take(), (Log{"nmi 3"}));
  icr(0, 0, 0x000C0200);  // SMI to all others: recorded, dropped
  EXPECT_EQ(sink->take(), Log{});
  EXPECT_EQ(apic->counters().smiIpisIgnored, 1u);
  for (int c : {1, 2, 3}) wr(c, 0xD0, 0x01000000);  // all in logical group bit 0
  icr(0, 0x01u << 24, 0x00000951);  // lowest priority, logical, vector 0x51
  EXPECT_EQ(sink->take(), (Log{"fixed 1 0x51"}));
}

TEST_F(LapicTest, LogicalFlatModel) {
  make(4);
  wr(1, 0xD0, 0x02000000);
  wr(2, 0xD0, 0x04000000);
  wr(3, 0xD0, 0x08000000);
  EXPECT_EQ(rd(1, 0xE0), 0xFFFFFFFFu);  // flat model at reset
  icr(0, 0x0Au << 24, 0x00000840);  // logical, fixed 0x40 to bits 1 and 3
  EXPECT_EQ(sink->take(), (Log{"fixed 1 0x40", "fixed 3 0x40"}));
  icr(0, 0x01u << 24, 0x00000840);  // bit 0: nobody (cpu 0's LDR is 0)
  EXPECT_EQ(sink->take(), Log{});
}

TEST_F(LapicTest, LogicalClusterModel) {
  make(4);
  for (int c = 0; c < 4; ++c) wr(c, 0xE0, 0x0FFFFFFF);
  EXPECT_EQ(rd(0, 0xE0), 0x0FFFFFFFu);
  wr(1, 0xD0, 0x11000000);  // cluster 1, member bit 0
  wr(2, 0xD0, 0x12000000);  // cluster 1, member bit 1
  wr(3, 0xD0, 0x21000000);  // cluster 2, member bit 0
  icr(0, 0x13u << 24, 0x00000850);
  EXPECT_EQ(sink->take(), (Log{"fixed 1 0x50", "fixed 2 0x50"}));
  icr(0, 0x21u << 24, 0x00000850);
  EXPECT_EQ(sink->take(), (Log{"fixed 3 0x50"}));
  icr(0, 0x31u << 24, 0x00000850);
  EXPECT_EQ(sink->take(), Log{});
}

TEST_F(LapicTest, X2apicIcrPhysicalLogicalAndSelfIpi) {
  make(4, {0, 0x11, 0x12, 0x100});
  for (int c = 0; c < 4; ++c) toX2apic(c);
  // Logical x2APIC ID: cluster ID[19:4] in 31:16, bit ID[3:0] in 15:0.
  EXPECT_EQ(apic->readMsr(1, 0x80D), 0x00010002u);
  EXPECT_EQ(apic->readMsr(3, 0x80D), 0x00100001u);
  ASSERT_TRUE(apic->writeMsr(0, 0x830, (uint64_t{0x100} << 32) | 0x4500));  // INIT to ID 0x100
  EXPECT_EQ(sink->take(), (Log{"init 3"}));
  EXPECT_EQ(apic->readMsr(0, 0x830), (uint64_t{0x100} << 32) | 0x4500);
  ASSERT_TRUE(apic->writeMsr(0, 0x830, (uint64_t{0x00010006} << 32) | 0x0860));  // logical cluster 1, bits 1|2
  EXPECT_EQ(sink->take(), (Log{"fixed 1 0x60", "fixed 2 0x60"}));
  ASSERT_TRUE(apic->writeMsr(0, 0x830, (uint64_t{0xFFFFFFFF} << 32) | 0x0400));  // NMI broadcast
  EXPECT_EQ(sink->take(), (Log{"nmi 0", "nmi 1", "nmi 2", "nmi 3"}));
  EXPECT_FALSE(apic->writeMsr(0, 0x830, 0x1000 | 0x61));  // delivery status bit is reserved
  EXPECT_FALSE(apic->writeMsr(0, 0x830, 0x100000 | 0x61));
  EXPECT_EQ(sink->take(), Log{});
  ASSERT_TRUE(apic->writeMsr(2, 0x83F, 0x77));  // SELF IPI
  EXPECT_EQ(sink->take(), (Log{"fixed 2 0x77"}));
  EXPECT_FALSE(apic->writeMsr(2, 0x83F, 0x177));
}

TEST_F(LapicTest, ApicBaseTransitions) {
  make(2, {}, 1);
  EXPECT_EQ(apic->readMsr(0, 0x1B), 0xFEE00800u);  // enabled AP
  EXPECT_EQ(apic->readMsr(1, 0x1B), 0xFEE00900u);  // enabled BSP
  EXPECT_FALSE(apic->writeMsr(0, 0x1B, 0xFEE00400));   // EXTD without EN: invalid state
  EXPECT_FALSE(apic->writeMsr(0, 0x1B, 0xFEE00A00));   // reserved bit 9
  EXPECT_FALSE(apic->writeMsr(0, 0x1B, (uint64_t{1} << 50) | 0xFEE00800));  // above MAXPHYADDR
  EXPECT_TRUE(apic->writeMsr(0, 0x1B, 0xFEE00C00));    // xAPIC -> x2APIC
  EXPECT_FALSE(apic->writeMsr(0, 0x1B, 0xFEE00800));   // x2APIC -> xAPIC directly
  EXPECT_TRUE(apic->writeMsr(0, 0x1B, 0xFEE00C00));    // staying put is fine
  EXPECT_TRUE(apic->writeMsr(0, 0x1B, 0xFEE00000));    // x2APIC -> disabled
  EXPECT_FALSE(apic->writeMsr(0, 0x1B, 0xFEE00C00));   // disabled -> x2APIC
  EXPECT_TRUE(apic->writeMsr(0, 0x1B, 0xFEE00800));    // disabled -> xAPIC
  EXPECT_EQ(apic->readMsr(0, 0x1B), 0xFEE00800u);
  apic->setBspFlag(1, false);
  EXPECT_EQ(apic->readMsr(1, 0x1B), 0xFEE00800u);
}

TEST_F(LapicTest, DisablingLosesStateButKeepsId) {
  make(2, {0, 0x42});
  wr(1, 0x80, 0x30);
  wr(1, 0x20, 0x07000000);  // xAPIC ID is writable
  ASSERT_TRUE(apic->writeMsr(1, 0x1B, 0xFEE00000));
  EXPECT_EQ(rd(1, 0x80), 0xFFFFFFFFu);  // window not decoded while disabled
  ASSERT_TRUE(apic->writeMsr(1, 0x1B, 0xFEE00800));
  EXPECT_EQ(rd(1, 0x80), 0u);
  EXPECT_EQ(rd(1, 0x20), 0x42000000u);
}

TEST_F(LapicTest, X2apicMsrsOnlyInX2apicMode) {
  make(2, {0, 0x1A3});
  EXPECT_EQ(apic->readMsr(1, 0x802), std::nullopt);
  EXPECT_FALSE(apic->writeMsr(1, 0x808, 0));
  MsrRegistry reg;
  apic->registerMsrs(reg);
  ASSERT_NE(reg.find(0x1B), nullptr);
  ASSERT_NE(reg.find(0x8FF), nullptr);
  EXPECT_EQ(reg.find(0x8FF)->owner, "lapic");
  EXPECT_EQ(reg.find(0x802)->read(1, 0x802), std::nullopt);  // through the registry too
  ASSERT_TRUE(reg.find(0x1B)->write(1, 0x1B, 0xFEE00C00));
  EXPECT_EQ(reg.find(0x802)->read(1, 0x802), 0x1A3u);
  EXPECT_EQ(apic->readMsr(1, 0x803), 0x00060014u);
  // Write-only and absent registers are #GP on read.
  for (uint32_t m : {0x80Bu, 0x83Fu, 0x801u, 0x809u, 0x80Cu, 0x80Eu, 0x831u, 0x8FFu}) {
    EXPECT_EQ(apic->readMsr(1, m), std::nullopt) << hex(m);
  }
  // Read-only and absent registers are #GP on write.
  for (uint32_t m : {0x802u, 0x803u, 0x80Au, 0x80Du, 0x810u, 0x827u, 0x839u, 0x80Eu, 0x831u}) {
    EXPECT_FALSE(apic->writeMsr(1, m, 0)) << hex(m);
  }
  EXPECT_FALSE(apic->writeMsr(1, 0x80B, 1));                      // EOI takes only 0
  EXPECT_FALSE(apic->writeMsr(1, 0x828, 1));                      // ESR takes only 0
  EXPECT_FALSE(apic->writeMsr(1, 0x808, uint64_t{1} << 32));       // bits 63:32 reserved
  EXPECT_TRUE(apic->writeMsr(1, 0x808, 0x20));
  EXPECT_EQ(apic->readMsr(1, 0x808), 0x20u);
  EXPECT_EQ(rd(1, 0x80), 0u);  // MMIO reads 0 in x2APIC mode
  wr(1, 0x80, 0x40);
  EXPECT_EQ(apic->readMsr(1, 0x808), 0x20u);  // and writes are ignored
}

TEST_F(LapicTest, IdRegisterFormats) {
  make(3, {0, 0x15, 0x1A3});
  EXPECT_EQ(rd(1, 0x20), 0x15000000u);
  EXPECT_EQ(rd(2, 0x20), 0xA3000000u);  // xAPIC shows the low 8 bits
  EXPECT_EQ(rd(1, 0x23, 1), 0x15u);     // byte read of bits 31:24
  toX2apic(2);
  EXPECT_EQ(apic->readMsr(2, 0x802), 0x1A3u);
  EXPECT_EQ(apic->initialApicId(2), 0x1A3u);
}

TEST_F(LapicTest, ResetValues) {
  make(1);
  EXPECT_EQ(rd(0, 0xF0), 0xFFu);  // SVR
  EXPECT_EQ(rd(0, 0x30), 0x00060014u);
  for (uint32_t off : {0x2F0u, 0x320u, 0x330u, 0x340u, 0x350u, 0x360u, 0x370u}) EXPECT_EQ(rd(0, off), 0x10000u) << hex(off);
  EXPECT_EQ(rd(0, 0x80), 0u);
  EXPECT_EQ(rd(0, 0xD0), 0u);
  EXPECT_EQ(rd(0, 0x3E0), 0u);
  wr(0, 0xF0, 0x1FF);
  wr(0, 0x80, 0x20);
  wr(0, 0x350, 0x700);  // LINT0 ExtINT, unmasked
  EXPECT_EQ(rd(0, 0x350), 0x700u);
  apic->initReset(0);
  EXPECT_EQ(rd(0, 0xF0), 0xFFu);
  EXPECT_EQ(rd(0, 0x80), 0u);
  EXPECT_EQ(rd(0, 0x350), 0x10000u);
  // Software disabled: LVT mask bits cannot be cleared.
  wr(0, 0x350, 0x700);
  EXPECT_EQ(rd(0, 0x350), 0x10700u);
}

TEST_F(LapicTest, InitIpiResetsTargetApic) {
  make(2, {0, 9});
  wr(1, 0x80, 0x70);
  icr(0, 9u << 24, 0x4500);
  EXPECT_EQ(sink->take(), (Log{"init 1"}));
  EXPECT_EQ(rd(1, 0x80), 0u);
  EXPECT_EQ(rd(1, 0x20), 0x09000000u);
}

TEST_F(LapicTest, TimerOneShotWithDivider) {
  make(1);
  wr(0, 0x3E0, 0x3);  // divide by 16
  clock = 100;
  wr(0, 0x380, 1000);
  EXPECT_EQ(rd(0, 0x390), 1000u);
  clock = 100 + 16 * 10 + 15;  // 10 whole ticks
  EXPECT_EQ(rd(0, 0x390), 990u);
  EXPECT_EQ(apic->timerNextExpiry(0), 100u + 16 * 1000);
  clock = 100 + 16 * 1000;
  EXPECT_EQ(rd(0, 0x390), 0u);
  EXPECT_EQ(apic->timerNextExpiry(0), std::nullopt);
  EXPECT_EQ(rd(0, 0x380), 1000u);  // initial count kept
}

TEST_F(LapicTest, TimerDivideEncodings) {
  make(1);
  // SDM: 0000 /2, 0001 /4, 0010 /8, 0011 /16, 1000 /32, 1001 /64, 1010 /128, 1011 /1.
  const std::pair<uint32_t, uint32_t> table[] = {{0x0, 2}, {0x1, 4}, {0x2, 8}, {0x3, 16},
                                                 {0x8, 32}, {0x9, 64}, {0xA, 128}, {0xB, 1}};
  for (auto [code, div] : table) {
    clock = 0;
    wr(0, 0x3E0, code);
    wr(0, 0x380, 100000);
    clock = 256;
    EXPECT_EQ(rd(0, 0x390), 100000u - 256 / div) << "divide code " << code;
  }
}

TEST_F(LapicTest, TimerPeriodicAndDividerChangeMidCount) {
  make(1);
  wr(0, 0x320, 0x20000 | 0x30);  // periodic
  wr(0, 0x3E0, 0xB);             // divide by 1
  clock = 0;
  wr(0, 0x380, 100);
  clock = 99;
  EXPECT_EQ(rd(0, 0x390), 1u);
  clock = 100;
  EXPECT_EQ(rd(0, 0x390), 100u);  // reloaded at zero
  clock = 250;
  EXPECT_EQ(rd(0, 0x390), 50u);
  EXPECT_EQ(apic->timerNextExpiry(0), 300u);
  // One-shot, divide by 2, then switch to divide by 8 after 200 units.
  make(1);
  clock = 0;
  wr(0, 0x380, 1000);
  clock = 200;
  EXPECT_EQ(rd(0, 0x390), 900u);
  wr(0, 0x3E0, 0x2);
  clock = 280;
  EXPECT_EQ(rd(0, 0x390), 890u);
  // TSC-deadline mode: the count reads 0 and TMICT writes are ignored.
  wr(0, 0x320, 0x40000);
  EXPECT_EQ(rd(0, 0x390), 0u);
  wr(0, 0x380, 5);
  EXPECT_EQ(rd(0, 0x380), 0u);
}

TEST_F(LapicTest, IrrIsrEoiAndPriorities) {
  make(1);
  EXPECT_FALSE(apic->setIrr(0, 0x31));  // software disabled: dropped
  wr(0, 0xF0, 0x1FF);
  ASSERT_TRUE(apic->setIrr(0, 0x31));
  ASSERT_TRUE(apic->setIrr(0, 0x52));
  EXPECT_EQ(rd(0, 0x210), 1u << 17);  // vector 0x31 = 49 = 32 + 17
  EXPECT_EQ(rd(0, 0x220), 1u << 18);  // vector 0x52 = 82 = 64 + 18
  EXPECT_EQ(apic->pendingVector(0), 0x52);
  wr(0, 0x80, 0x50);
  EXPECT_EQ(apic->pendingVector(0), -1);  // class 5 does not exceed TPR class 5
  wr(0, 0x80, 0x40);
  EXPECT_EQ(apic->pendingVector(0), 0x52);
  apic->acceptInterrupt(0, 0x52);
  EXPECT_EQ(rd(0, 0x120), 1u << 18);
  EXPECT_EQ(rd(0, 0x220), 0u);
  EXPECT_EQ(rd(0, 0xA0), 0x50u);  // PPR = ISR class
  EXPECT_EQ(apic->pendingVector(0), -1);
  ASSERT_TRUE(apic->setIrr(0, 0x61, true));
  EXPECT_EQ(rd(0, 0x1B0), 1u << 1);  // TMR for level-triggered 0x61 = 96 + 1
  EXPECT_EQ(apic->pendingVector(0), 0x61);
  apic->acceptInterrupt(0, 0x61);
  EXPECT_EQ(rd(0, 0xA0), 0x60u);
  wr(0, 0xB0, 0);  // EOI clears the highest in service: 0x61
  EXPECT_EQ(rd(0, 0x130), 0u);
  EXPECT_EQ(rd(0, 0x1B0), 0u);
  EXPECT_EQ(rd(0, 0x120), 1u << 18);
  wr(0, 0xB0, 0);
  EXPECT_EQ(rd(0, 0x120), 0u);
  EXPECT_EQ(rd(0, 0xA0), 0x40u);  // PPR = TPR
  EXPECT_EQ(apic->pendingVector(0), -1);  // 0x31 below TPR
  wr(0, 0x80, 0);
  EXPECT_EQ(apic->pendingVector(0), 0x31);
  EXPECT_THROW(apic->acceptInterrupt(0, 0x99), InternalError);
  EXPECT_FALSE(apic->setIrr(0, 5));
  wr(0, 0x280, 0);
  EXPECT_EQ(rd(0, 0x280), LocalApics::kEsrReceiveIllegalVector);
}

TEST_F(LapicTest, ErrorStatusForIllegalVectorAndRegister) {
  make(2);
  icr(0, 1u << 24, 0x00000003);  // fixed vector 3: illegal
  EXPECT_EQ(sink->take(), Log{});
  rd(0, 0x3F0);  // SELF IPI is reserved in xAPIC mode
  EXPECT_EQ(rd(0, 0x280), 0u);  // errors show only after an ESR write
  wr(0, 0x280, 0);
  EXPECT_EQ(rd(0, 0x280), LocalApics::kEsrSendIllegalVector | LocalApics::kEsrIllegalRegister);
  wr(0, 0x280, 0);
  EXPECT_EQ(rd(0, 0x280), 0u);
}

TEST_F(LapicTest, MmioAccessRules) {
  make(1);
  wr(0, 0x80, 0x20, 1);  // narrow write dropped
  wr(0, 0x84, 0x20);     // unaligned write dropped
  EXPECT_EQ(rd(0, 0x80), 0u);
  EXPECT_EQ(apic->counters().malformedMmio, 2u);
  wr(0, 0x80, 0x2A);
  EXPECT_EQ(rd(0, 0x80, 8), 0x2Au);
  EXPECT_EQ(rd(0, 0x84), 0u);
  EXPECT_EQ(apic->read(AccessContext{AccessContext::kNoCpu, 0xFEE00080, -1}, 0x80, 4), 0xFFFFFFFFu);
  ASSERT_TRUE(apic->writeMsr(0, 0x1B, 0xFED00800));  // base moved away
  EXPECT_EQ(rd(0, 0x80), 0xFFFFFFFFu);
}

TEST_F(LapicTest, ConstructionErrors) {
  RecordingSink s(2);
  LapicOptions o;
  o.cpuCount = 2;
  o.now = [] { return uint64_t{0}; };
  o.apicIds = {3, 3};
  EXPECT_THROW(LocalApics(o, s), InputError);
  o.apicIds = {1};
  EXPECT_THROW(LocalApics(o, s), InputError);
  o.apicIds = {};
  o.bspCpu = 2;
  EXPECT_THROW(LocalApics(o, s), InputError);
}

TEST_F(LapicTest, SnapshotRoundTrip) {
  make(2, {0, 0x20});
  wr(0, 0xF0, 0x1FF);
  wr(0, 0x80, 0x10);
  wr(0, 0xD0, 0x04000000);
  wr(0, 0x3E0, 0x1);
  clock = 50;
  wr(0, 0x380, 500);
  ASSERT_TRUE(apic->setIrr(0, 0x44));
  apic->acceptInterrupt(0, 0x44);
  ASSERT_TRUE(apic->setIrr(0, 0x90));
  toX2apic(1);
  icr(0, 0x20u << 24, 0x4500);
  sink->take();
  clock = 90;
  RecordingSink sink2(2);
  LapicOptions o;
  o.cpuCount = 2;
  o.apicIds = {0, 0x20};
  o.now = [this] { return clock; };
  LocalApics copy(o, sink2);
  testing::expectSnapshotRoundTrip(*apic, copy);
  AccessContext c0{0, 0xFEE00000, -1};
  EXPECT_EQ(copy.read(c0, 0x390, 4), 490u);  // (90 - 50) / 4 = 10 ticks
  EXPECT_EQ(copy.read(c0, 0xD0, 4), 0x04000000u);
  EXPECT_EQ(copy.pendingVector(0), 0x90);
  EXPECT_EQ(copy.ppr(0), 0x40u);
  EXPECT_TRUE(copy.x2apicMode(1));
  EXPECT_EQ(copy.counters().ipisSent, 1u);
  // A snapshot of a machine with other APIC IDs is refused.
  LapicOptions o3 = o;
  o3.apicIds = {0, 0x21};
  LocalApics other(o3, sink2);
  EXPECT_THROW(other.restoreState(apic->saveState()), InputError);
}

}  // namespace
}  // namespace dlsim
