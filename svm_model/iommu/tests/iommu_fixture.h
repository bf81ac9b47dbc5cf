// Shared set-up of the IOMMU tests: RAM, the DMA port with SKINIT's SLB
// protection first and the IOMMU's device table second (as a platform adds
// them), and helpers that program the IOMMU and queue commands the way SKL's
// iommu.c does, with the command encodings written out from the AMD IOMMU
// spec / Linux amd_iommu_types.h (not from the model).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/dma_port.h"
#include "sim/guest_memory.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/iommu/amd_iommu.h"
#include "svm_model/iommu/iommu_protection.h"

namespace dlsim::svm::testing {

inline const AccessContext kCpu = AccessContext::fromCpu(0);

// Register offsets and bits as SKL's include/iommu.h spells them.
inline constexpr uint64_t kRegDevTab = 0x00, kRegCmdBuf = 0x08, kRegEvtLog = 0x10, kRegControl = 0x18;
inline constexpr uint64_t kRegExclBase = 0x20, kRegExclLimit = 0x28, kRegEfr = 0x30;
inline constexpr uint64_t kRegCmdHead = 0x2000, kRegCmdTail = 0x2008, kRegEvtHead = 0x2010, kRegEvtTail = 0x2018;
inline constexpr uint64_t kRegStatus = 0x2020;
inline constexpr uint64_t kIommuEn = 1, kEventLogEn = 1 << 2, kCmdBufEn = 1 << 12;
inline constexpr uint64_t kEventLogInt = 1 << 1, kComWaitInt = 1 << 2, kCmdBufRun = 1 << 4;
inline constexpr uint32_t kDone = 0x656e6f64;  // "done"

struct Cmd {
  uint32_t d[4] = {};
};
inline Cmd completionWait(uint64_t store, uint64_t data, bool interrupt = false) {
  return {{static_cast<uint32_t>(store) | 1u | (interrupt ? 2u : 0u),
           static_cast<uint32_t>(store >> 32) | 1u << 28, static_cast<uint32_t>(data),
           static_cast<uint32_t>(data >> 32)}};
}
inline Cmd invalidateAll() { return {{0, 8u << 28, 0, 0}}; }
inline Cmd invalidateDte(uint16_t id) { return {{id, 2u << 28, 0, 0}}; }
inline Cmd opcode(uint8_t op) { return {{0, static_cast<uint32_t>(op) << 28, 0, 0}}; }

// 256 DTEs: V | TV, everything else 0 (SKL's device_table).
inline constexpr uint64_t kDteBlockAll = 0x3;

class IommuTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kSlb = 0x1000000;         // 16 MiB
  static constexpr uint64_t kDevTable = kSlb + 0x2000; // 8 KiB, page aligned
  static constexpr uint64_t kCmdArray = kSlb + 0x4040; // SKL's command_buf[]: 16-byte aligned
  static constexpr uint64_t kEventLog = kSlb + 0x5000; // 4 KiB
  static constexpr uint64_t kCompleted = kSlb + 0x6008;

  void SetUp() override {
    mem.addRam(0, 0x4000000, "low");
    port.addProtection(&slb);
    port.addProtection(&protection);
    for (uint16_t id = 0; id < 256; ++id) setDte(id, kDteBlockAll, 0);
  }
  void setDte(uint16_t id, uint64_t q0, uint64_t q1, uint64_t table = kDevTable) {
    const uint64_t q[4] = {q0, q1, 0, 0};
    ASSERT_TRUE(mem.write(table + id * 32ull, q, sizeof q));
  }
  uint64_t reg(uint64_t off) { return iommu.read(kCpu, off, 8); }
  void setReg(uint64_t off, uint64_t v) { iommu.write(kCpu, off, 8, v); }
  // SKL's iommu_load_device_table up to enabling (steps 3-5).
  void programLikeSkl(uint64_t devTable = kDevTable, uint64_t cmdArray = kCmdArray, uint64_t log = kEventLog) {
    setReg(kRegControl, 0);
    setReg(kRegDevTab, devTable | 1);
    setReg(kRegCmdBuf, (cmdArray & ~0xfffull) | 9ull << 56);
    setReg(kRegCmdTail, cmdArray & 0xff0);
    setReg(kRegCmdHead, cmdArray & 0xff0);
    setReg(kRegEvtLog, log | 8ull << 56);
    setReg(kRegEvtHead, 0);
    setReg(kRegEvtTail, 0);
    setReg(kRegStatus, reg(kRegStatus) & ~2ull);
    setReg(kRegControl, reg(kRegControl) | kCmdBufEn | kEventLogEn);
    setReg(kRegControl, reg(kRegControl) | kIommuEn);
  }
  // Puts the command where the IOMMU reads it (buffer base + tail) and
  // moves the tail past it.
  void send(const Cmd& c) {
    const uint64_t base = reg(kRegCmdBuf) & 0x000ffffffffff000ull;
    const uint64_t tail = reg(kRegCmdTail);
    ASSERT_TRUE(mem.write(base + tail, c.d, sizeof c.d));
    setReg(kRegCmdTail, tail + 16);
  }
  uint32_t u32At(uint64_t gpa) {
    uint32_t v = 0;
    EXPECT_TRUE(mem.read(gpa, &v, 4));
    return v;
  }
  DmaResult deviceWrite(uint32_t rid, uint64_t gpa, size_t len = 4) {
    std::vector<uint8_t> b(len, 0x5a);
    return port.write(rid, gpa, b.data(), len);
  }
  DmaResult deviceRead(uint32_t rid, uint64_t gpa, size_t len = 4) {
    std::vector<uint8_t> b(len);
    return port.read(rid, gpa, b.data(), len);
  }

  GuestMemory mem;
  DmaPort port{mem};
  SlDevProtection slb;
  AmdIommu iommu{{}, port};
  AmdIommuProtection protection{iommu};
};

}  // namespace dlsim::svm::testing
