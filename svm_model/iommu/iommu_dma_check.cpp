// The IOMMU's decision on a device's DMA: exclusion range, device table.
#include "sim/hex.h"
#include "svm_model/iommu/amd_iommu.h"
#include "svm_model/iommu/iommu_registers.h"

namespace dlsim::svm {

using namespace iommu;

bool AmdIommu::inExclusion(uint64_t gpa, uint64_t len) const {
  if (!(exclBase_ & kExEn) || len == 0) return false;
  const uint64_t base = exclBase_ & kAddressMask;
  const uint64_t limit = (exclLimit_ & kAddressMask) | 0xFFF;
  return gpa >= base && gpa + (len - 1) >= gpa && gpa + (len - 1) <= limit;
}

bool AmdIommu::refuse(std::string why) {
  lastRefusal_ = std::move(why);
  return false;
}

std::optional<AmdIommu::Dte> AmdIommu::fetchDte(uint16_t deviceId) {
  if (auto it = dteCache_.find(deviceId); it != dteCache_.end()) return it->second;
  Dte d;
  const uint64_t address = (devTable_ & kAddressMask) + uint64_t{deviceId} * kDteSize;
  if (port_.read(config_.requesterId, address, d.q, sizeof d.q) != DmaResult::kDone) {
    raiseEvent(kEvDevTabHardwareError, deviceId, 0, address);
    return std::nullopt;
  }
  dteCache_[deviceId] = d;
  return d;
}

bool AmdIommu::allowDma(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) {
  if (requesterId == config_.requesterId || !(control_ & kCtlIommuEn)) return true;
  const bool excluded = inExclusion(gpa, len);
  if (excluded && (exclBase_ & kExAllow)) return true;
  const uint16_t id = static_cast<uint16_t>(requesterId);
  const std::string who = "DTE " + hex(id);
  const uint64_t entries = ((devTable_ & kDevTableSizeMask) + 1) * 4096 / kDteSize;
  if (requesterId > 0xFFFF || id >= entries) {
    raiseEvent(kEvIllegalDevTableEntry, id, write ? kEvFlagWrite : 0, gpa);
    return refuse("device id " + hex(requesterId) + " past the device table (" + std::to_string(entries) + " entries)");
  }
  const std::optional<Dte> dte = fetchDte(id);
  if (!dte) return refuse(who + " unreadable");
  const uint64_t q0 = dte->q[0];
  if (!(q0 & kDteV)) return true;  // V = 0: passed untranslated
  if (excluded && (dte->q[1] & kDteQ1Ex)) return true;
  auto fault = [&](std::string why) {
    if (!(dte->q[1] & kDteQ1Se)) raiseEvent(kEvIoPageFault, id, write ? kEvFlagWrite : 0, gpa);
    return refuse(who + ": " + why);
  };
  if (!(q0 & kDteTv)) return fault("V = 1 but TV = 0 (no translation information)");
  const unsigned mode = static_cast<unsigned>(q0 >> kDteModeShift) & 7;
  if (mode != 0) return fault("mode " + std::to_string(mode) + " page tables (translation not modelled)");
  if (write ? (q0 & kDteIw) : (q0 & kDteIr)) return true;
  return fault(write ? "no write permission (IW = 0)" : "no read permission (IR = 0)");
}

}  // namespace dlsim::svm
