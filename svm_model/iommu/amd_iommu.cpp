// The IOMMU's register block: decode, write masks, status bits.
#include "svm_model/iommu/amd_iommu.h"

#include "svm_model/iommu/iommu_registers.h"

namespace dlsim::svm {

using namespace iommu;

AmdIommu::AmdIommu(AmdIommuConfig config, DmaPort& port) : config_(std::move(config)), port_(port) {}

void AmdIommu::reset() {
  devTable_ = cmdBuf_ = eventLog_ = control_ = exclBase_ = exclLimit_ = 0;
  cmdHead_ = cmdTail_ = evtHead_ = evtTail_ = status_ = 0;
  cmdStopped_ = false;
  dteCache_.clear();
  lastRefusal_.clear();
}

bool AmdIommu::translating() const { return control_ & kCtlIommuEn; }

uint64_t AmdIommu::reg(uint64_t offset) const {
  switch (offset) {
    case kDevTableBase: return devTable_;
    case kCmdBufBase: return cmdBuf_;
    case kEventLogBase: return eventLog_;
    case kControl: return control_;
    case kExclusionBase: return exclBase_;
    case kExclusionLimit: return exclLimit_;
    case kExtendedFeatures: return config_.extendedFeatures;
    case kCmdBufHead: return cmdHead_;
    case kCmdBufTail: return cmdTail_;
    case kEventLogHead: return evtHead_;
    case kEventLogTail: return evtTail_;
    case kStatus: {
      const bool on = control_ & kCtlIommuEn;
      uint64_t s = status_;
      if (on && (control_ & kCtlEventLogEn)) s |= kStEventLogRun;
      if (on && (control_ & kCtlCmdBufEn) && !cmdStopped_) s |= kStCmdBufRun;
      return s;
    }
    default: return 0;
  }
}

// An access is taken when it is naturally aligned, 1, 2, 4 or 8 bytes and
// inside the block; it reaches only its own bytes of the 64-bit register that
// holds it, as a bus transaction with byte enables does. Sub-dword reads are
// not in what the model's sources say software does (Linux uses readl/readq),
// but real code makes them: SKL's iommu.c reads `mmio_base[...] & BIT` through
// a plain u64 pointer and gcc narrows it to `testb` on the status (0x2020) and
// extended-feature (0x30) registers. Reads have no side effects, so a byte
// lane of the register is the only sensible answer (amd-skinit.md 3.4: SKL's
// pass-1 exit depends on reading EventLogInt that way); the AMD IOMMU spec's
// rule for such accesses was not read (unconfirmed).
static bool taken(uint64_t offset, unsigned size) {
  return (size == 1 || size == 2 || size == 4 || size == 8) && offset % size == 0 && offset < iommu::kMmioSize;
}

static uint64_t laneMask(unsigned size) { return size == 8 ? ~0ull : (1ull << (8 * size)) - 1; }

uint64_t AmdIommu::read(const AccessContext&, uint64_t offset, unsigned size) {
  if (!taken(offset, size)) return 0;
  return reg(offset & ~7ull) >> (8 * (offset & 7)) & laneMask(size);
}

void AmdIommu::write(const AccessContext&, uint64_t offset, unsigned size, uint64_t value) {
  if (!taken(offset, size)) return;
  const uint64_t at = offset & ~7ull;
  if (size == 8) {
    writeReg(at, value);
    return;
  }
  // A narrower write changes its bytes; status bits of the other bytes are
  // not written (a 0 there must not count as "write 1 to clear").
  const unsigned shift = 8 * static_cast<unsigned>(offset & 7);
  const uint64_t lanes = laneMask(size) << shift;
  const uint64_t old = at == kStatus ? 0 : reg(at);
  writeReg(at, (old & ~lanes) | ((value << shift) & lanes));
}

void AmdIommu::writeReg(uint64_t offset, uint64_t value) {
  switch (offset) {
    case kDevTableBase: devTable_ = value & (kAddressMask | kDevTableSizeMask); break;
    case kCmdBufBase: cmdBuf_ = value & (kAddressMask | kLenMask); break;
    case kEventLogBase: eventLog_ = value & (kAddressMask | kLenMask); break;
    case kControl: {
      const uint64_t was = control_;
      control_ = value;
      if (!(was & kCtlCmdBufEn) && (value & kCtlCmdBufEn)) cmdStopped_ = false;  // restarts after an error
      break;
    }
    case kExclusionBase: exclBase_ = value & (kAddressMask | kExEn | kExAllow); break;
    case kExclusionLimit: exclLimit_ = value & kAddressMask; break;
    case kCmdBufHead: cmdHead_ = value & kPointerMask; break;
    case kCmdBufTail: cmdTail_ = value & kPointerMask; break;
    case kEventLogHead: evtHead_ = value & kPointerMask; break;
    case kEventLogTail: evtTail_ = value & kPointerMask; break;
    case kStatus: status_ &= ~(value & kStWriteOneToClear); break;
    default: return;  // extended features and the rest are read-only or not implemented
  }
  processCommands();
}

uint64_t AmdIommu::ringBytes(uint64_t baseReg) {
  unsigned len = static_cast<unsigned>((baseReg & kLenMask) >> kLenShift);
  if (len < 8) len = 8;  // 0..7 are reserved; 8 (256 entries, 4 KiB) is the smallest ring
  if (len > 15) len = 15;
  return 16ull << len;
}

}  // namespace dlsim::svm
