// The AMD IOMMU's 16 KiB MMIO register block as a bus Device, as far as
// secure-launch code (SKL's iommu.c, Linux's init) uses it, and the DMA
// check its device table gives (AmdIommuProtection puts that on the DMA
// port). Deterministic: commands run synchronously when a tail, control or
// head write leaves work to do; nothing runs on a thread or a timer.
//
// Registers take naturally aligned 1-, 2-, 4- and 8-byte accesses (an
// 8-byte access is the whole register; a narrower one its own bytes, as a
// bus transaction's byte enables select them: SKL reads status bits with
// `testb`); misaligned accesses and ones past the block read 0 and are
// dropped. What is modelled:
//  - commands (IommuEn and CmdBufEn, not stopped by an error): fetched from
//    the command buffer through the DMA port as requester 00:00.2, so SKINIT's
//    SLB protection blocks a buffer inside the SLB -> COMMAND_HARDWARE_ERROR,
//    command processing stops (CmdBufRun clear) until CmdBufEn is set again.
//    COMPLETION_WAIT stores its data (S) through the DMA port and sets
//    ComWaitInt (I); INVALIDATE_DEVTAB_ENTRY and INVALIDATE_IOMMU_ALL (with
//    IASup) drop cached device-table entries; INVALIDATE_IOMMU_PAGES,
//    INVALIDATE_IOTLB_PAGES and INVALIDATE_INTERRUPT_TABLE complete with
//    nothing to drop (no page or interrupt translation is cached); an unknown
//    opcode, or one whose feature is absent -> ILLEGAL_COMMAND, processing
//    stops.
//  - events: written to the event log through the DMA port while EventLogEn;
//    EventLogInt is set for every event raised while EventLogEn, even when
//    the log itself cannot be written (SKL-A's pass-1 check relies on it);
//    a full log sets EventOverflow and drops the event.
//  - DMA: see allowDma.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/device.h"
#include "sim/dma_port.h"

namespace dlsim::svm {

struct AmdIommuConfig {
  std::string name = "amd-iommu";
  uint16_t requesterId = 0x0002;       // 00:00.2
  uint64_t extendedFeatures = 1 << 6;  // IASup (INVALIDATE_IOMMU_ALL)
};

// One event the IOMMU raised, for reports and tests.
struct IommuEvent {
  uint8_t code = 0;
  uint16_t deviceId = 0;
  uint16_t flags = 0;
  uint64_t address = 0;
  bool logged = false;  // written to the event log
};

class AmdIommu : public Device {
 public:
  static constexpr size_t kEventLimit = 1000;  // events kept; more are only counted

  AmdIommu(AmdIommuConfig config, DmaPort& port);

  std::string name() const override { return config_.name; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  // Whether the device table lets `requesterId` make this access, in order:
  // the IOMMU's own requester id, or IommuEn clear: allowed. The exclusion
  // range (ExEn) with Allow, or with the device's DTE.EX: allowed when the
  // whole access lies in [base, limit | 0xFFF]. A device id past the table:
  // ILLEGAL_DEV_TABLE_ENTRY, refused. The DTE (read through the DMA port,
  // cached until invalidated; a refused read -> DEV_TAB_HARDWARE_ERROR,
  // refused): V = 0: allowed untranslated; V = 1, TV = 0: refused (as
  // QEMU's amd_iommu.c treats it since 2025: no translation information);
  // TV = 1 with Mode 0: allowed when IR (read) or IW (write) is set; Mode
  // 1..6 (page tables) is not modelled: refused, so a test relying on
  // translation fails visibly. Each refusal by the DTE raises IO_PAGE_FAULT
  // unless the DTE's SE bit suppresses it.
  bool allowDma(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write);
  // Why the last refused allowDma refused ("DTE 0x0018: no write permission").
  const std::string& lastRefusal() const { return lastRefusal_; }

  // Platform reset: registers 0, no cached entries, processing not stopped
  // (the recorded events stay: they are report data).
  void reset();

  // IommuEn: device DMA goes through the device table.
  bool translating() const;

  uint64_t reg(uint64_t offset) const;  // a register's value as software reads it
  const std::vector<IommuEvent>& events() const { return events_; }
  uint64_t eventCount() const { return eventCount_; }
  const AmdIommuConfig& config() const { return config_; }
  size_t cachedDtes() const { return dteCache_.size(); }

 private:
  struct Dte {
    uint64_t q[4] = {};
  };
  void writeReg(uint64_t offset, uint64_t value);
  void processCommands();
  // false: processing stops (the event is raised).
  bool runCommand(const uint32_t (&cmd)[4], uint64_t address);
  void raiseEvent(uint8_t code, uint16_t deviceId, uint16_t flags, uint64_t address);
  std::optional<Dte> fetchDte(uint16_t deviceId);
  bool inExclusion(uint64_t gpa, uint64_t len) const;
  bool refuse(std::string why);
  static uint64_t ringBytes(uint64_t baseReg);

  AmdIommuConfig config_;
  DmaPort& port_;
  uint64_t devTable_ = 0, cmdBuf_ = 0, eventLog_ = 0, control_ = 0, exclBase_ = 0, exclLimit_ = 0;
  uint64_t cmdHead_ = 0, cmdTail_ = 0, evtHead_ = 0, evtTail_ = 0, status_ = 0;
  bool cmdStopped_ = false;  // an error stopped command processing
  std::map<uint16_t, Dte> dteCache_;
  std::vector<IommuEvent> events_;
  uint64_t eventCount_ = 0;
  std::string lastRefusal_;
};

}  // namespace dlsim::svm
