#include "svm_model/iommu/iommu_pci_function.h"

#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "svm_model/iommu/iommu_registers.h"

namespace dlsim::svm {

using namespace iommu;

namespace {
constexpr uint32_t kStateTag = 0x414D5650;  // "AMVP"
constexpr uint8_t kStateVersion = 1;
constexpr uint32_t kBaseLoWritable = kBaseLoAddressMask | kBaseLoEnable;
}  // namespace

AmdIommuFunction::AmdIommuFunction(uint16_t deviceId, MmioPlacement placement) : placement_(std::move(placement)) {
  header_.deviceId = deviceId;
  header_.classCode = 0x080600;  // base class 08h system peripheral, subclass 06h IOMMU
  header_.capPointer = static_cast<uint8_t>(kCapOffset);
}

uint32_t AmdIommuFunction::readDword(uint16_t offset) const {
  if (offset < 0x40) return pciHeaderDword(header_, offset);
  switch (offset) {
    case kCapOffset: return kCapId | kCapTypeIommu | kCapRev1 | kCapEfrSup;  // next pointer 0
    case kCapOffset + 4: return baseLo_;
    case kCapOffset + 8: return baseHi_;
    default: return 0;
  }
}

uint32_t AmdIommuFunction::readConfig(const AccessContext&, uint16_t offset, unsigned size) {
  return sizedRead(readDword(static_cast<uint16_t>(offset & ~3u)), offset, size);
}

void AmdIommuFunction::writeConfig(const AccessContext&, uint16_t offset, unsigned size, uint32_t value) {
  const uint16_t reg = static_cast<uint16_t>(offset & ~3u);
  if (reg == kCapOffset + 4) {
    baseLo_ = sizedMerge(baseLo_, offset, size, value) & kBaseLoWritable;
  } else if (reg == kCapOffset + 8) {
    baseHi_ = sizedMerge(baseHi_, offset, size, value);
  } else {
    return;
  }
  placeMmio();
}

std::optional<uint64_t> AmdIommuFunction::mmioBase() const {
  if (!(baseLo_ & kBaseLoEnable)) return std::nullopt;
  return static_cast<uint64_t>(baseHi_) << 32 | (baseLo_ & kBaseLoAddressMask);
}

void AmdIommuFunction::placeMmio() {
  const std::optional<uint64_t> now = mmioBase();
  if (now == placed_) return;
  placed_ = now;
  if (placement_) placement_(now);
}

void AmdIommuFunction::enableAt(uint64_t base) {
  if (base % kMmioSize != 0)
    throw InternalError("AmdIommuFunction::enableAt: base " + hex(base) + " not 16 KiB aligned");
  baseHi_ = static_cast<uint32_t>(base >> 32);
  baseLo_ = (static_cast<uint32_t>(base) & kBaseLoAddressMask) | kBaseLoEnable;
  placeMmio();
}

void AmdIommuFunction::reset() {
  baseLo_ = 0;
  baseHi_ = 0;
  placeMmio();
}

std::vector<uint8_t> AmdIommuFunction::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u32(baseLo_);
  w.u32(baseHi_);
  return w.take();
}

void AmdIommuFunction::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, name());
  r.expectHeader(kStateTag, kStateVersion);
  const uint32_t lo = r.u32("base low");
  if (lo & ~kBaseLoWritable) r.fail("base low", "reserved bits set: " + hex(lo));
  const uint32_t hi = r.u32("base high");
  r.expectEnd();
  baseLo_ = lo;
  baseHi_ = hi;
  // The bus's own snapshot restores the MMIO window: only remember it.
  placed_ = mmioBase();
}

}  // namespace dlsim::svm
