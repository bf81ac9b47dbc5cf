// One Intel VT-d DMA-remapping hardware unit as a bus Device at its register
// base (the DRHD's Register Base Address): what secure-launch code touches.
// VER, CAP, ECAP; GCMD/GSTS with the one-command-at-a-time protocol; the
// root-table, context-command, fault, invalidation-queue and IOTLB registers
// as storage with their completion bits; and the protected memory regions:
// PMEN (EPM/PRS), PLMBASE/PLMLIMIT, PHMBASE/PHMLIMIT, whose alignment
// software finds by writing all ones (VT-d spec, PLMBASE_REG ff.).
//
// Registers take aligned 4- and 8-byte accesses; an 8-byte access is two
// 4-byte ones, low dword first (VT-d spec 10.2: software may access a
// 64-bit register as two doublewords). Other accesses, a GCMD write that
// changes several commands, and PMR writes while the regions are enabled
// break the spec's rules for software: each is recorded (violations()) and
// answered as described at its place. DMA translation itself (root and
// context tables) is not modelled: TE changes only status.
//
// The unit's PMRs protect guest memory through VtdPmrProtection
// (vtd_pmr_protection.h) on the platform's DMA port.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/device.h"

namespace dlsim::txt {

struct VtdUnitConfig {
  std::string name = "vtd0";
  uint32_t version = 0x10;  // 1.0, as units report it
  // CAP_REG: 256 domains, PLMR and PHMR, 4-level tables (SAGAW bit 2),
  // MGAW 39 bits, one fault-recording register at 0x400.
  uint64_t cap = 0x2 | (1ull << 5) | (1ull << 6) | (0x4ull << 8) | (38ull << 16) | (0x40ull << 24);
  // ECAP_REG: queued invalidation, IOTLB registers at 0x500.
  uint64_t ecap = (1ull << 1) | (0x50ull << 8);
  // PLMBASE/PLMLIMIT and PHMBASE/PHMLIMIT bits [pmrAlignmentBits-1:0] are
  // reserved (read 0): 21 gives the 2 MiB alignment of older chipsets and of
  // tboot's rounding (12th-gen parts use 20: 1 MiB).
  unsigned pmrAlignmentBits = 21;
  // PHMBASE/PHMLIMIT bits [63:hostAddressWidth] read 0.
  unsigned hostAddressWidth = 39;
  // Reads of GSTS (or PMEN) that still show the old status after a command
  // (or an EPM change): software must poll; 0 = done at once.
  uint32_t statusLagReads = 0;
  // Requester ids whose DMA this unit handles; empty = all of them (a DRHD
  // with INCLUDE_PCI_ALL).
  std::vector<uint32_t> scope;
};

// A range of the protected memory regions, [base, limit] inclusive.
struct VtdPmrRange {
  uint64_t base = 0;
  uint64_t limit = 0;
};

class VtdUnit : public Device {
 public:
  explicit VtdUnit(VtdUnitConfig config);

  std::string name() const override { return config_.name; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  const VtdUnitConfig& config() const { return config_; }
  // Back to the reset values (platform reset).
  void reset();

  // TXT CMD.LOCK_PMRC / UNLOCK_PMRC (the TXT platform wires them): while
  // locked, the PMR base and limit registers are read-only.
  void setPmrLocked(bool locked) { pmrLocked_ = locked; }
  bool pmrLocked() const { return pmrLocked_; }

  // PMEN.PRS as hardware has it now (software sees it at its next read):
  // the regions protect while it is set.
  bool pmrEnabled() const { return prs_.effective() != 0; }
  // The enabled regions' ranges (nullopt: disabled by limit < base, not
  // implemented, or PRS clear).
  std::optional<VtdPmrRange> lowRegion() const;
  std::optional<VtdPmrRange> highRegion() const;
  // Whether this unit handles DMA of `requesterId`.
  bool inScope(uint32_t requesterId) const;

  uint32_t globalStatus() const { return gsts_.effective(); }
  uint64_t rootTableAddress() const { return rtaddr_; }

  // Software's breaks of the spec's rules, in order (first 100 kept).
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  // A status that trails its command by statusLagReads reads of it.
  struct LaggedStatus {
    uint32_t shown = 0, target = 0, lag = 0;
    bool pending() const { return shown != target; }
    // What hardware has done: the target once the stale reads are used up
    // (software sees it at its next read).
    uint32_t effective() const { return lag == 0 ? target : shown; }
    uint32_t read();
    void set(uint32_t value, uint32_t lagReads);
  };
  uint32_t readDword(uint64_t offset);
  void writeDword(uint64_t offset, uint32_t value);
  void writeGcmd(uint32_t value);
  void writePmen(uint32_t value);
  void writePmrDword(uint64_t offset, uint32_t value);
  void violation(const std::string& what);
  bool hasPlmr() const;
  bool hasPhmr() const;
  uint64_t lowBits() const { return (1ull << config_.pmrAlignmentBits) - 1; }
  uint64_t highMask() const;

  VtdUnitConfig config_;
  uint64_t froOffset_ = 0, nfr_ = 0, iotlbOffset_ = 0;
  LaggedStatus gsts_;  // GSTS_REG
  LaggedStatus prs_;   // PMEN_REG.PRS (0 or 1)
  bool epm_ = false;   // PMEN_REG.EPM as written
  uint64_t rtaddr_ = 0, ccmd_ = 0, aflog_ = 0;
  uint32_t fsts_ = 0, fectl_ = 0, fedata_ = 0, feaddr_ = 0, feuaddr_ = 0;
  uint32_t plmbase_ = 0, plmlimit_ = 0;
  uint64_t phmbase_ = 0, phmlimit_ = 0;
  uint64_t iqh_ = 0, iqt_ = 0, iqa_ = 0, irta_ = 0;
  uint32_t ics_ = 0, iectl_ = 0, iedata_ = 0, ieaddr_ = 0, ieuaddr_ = 0;
  uint64_t iva_ = 0, iotlb_ = 0;
  bool pmrLocked_ = false;
  std::vector<std::string> violations_;
};

}  // namespace dlsim::txt
