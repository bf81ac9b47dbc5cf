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

uint64_t AmdIommu::read(const AccessContext&, uint64_t offset, unsigned size) {
  if ((size != 4 && size != 8) || offset % size != 0 || offset >= kMmioSize) return 0;
  const uint64_t r = reg(offset & ~7ull);
  if (size == 8) return r;
  return (offset & 4) ? r >> 32 : r & 0xFFFFFFFFu;
}

void AmdIommu::write(const AccessContext&, uint64_t offset, unsigned size, uint64_t value) {
  if ((size != 4 && size != 8) || offset % size != 0 || offset >= kMmioSize) return;
  const uint64_t at = offset & ~7ull;
  if (size == 8) {
    writeReg(at, value);
    return;
  }
  // A 4-byte write changes its half; status bits of the other half are not
  // written (a 0 there must not count as "write 1 to clear").
  const unsigned shift = (offset & 4) ? 32 : 0;
  const uint64_t half = 0xFFFFFFFFull << shift;
  const uint64_t old = at == kStatus ? 0 : reg(at);
  writeReg(at, (old & ~half) | ((value & 0xFFFFFFFFull) << shift));
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
