#include "svm_model/northbridge/nb_function3.h"

#include "sim/codec/state_codec.h"

namespace dlsim::svm {

namespace {
constexpr uint32_t kStateTag = 0x4E424633;  // "NBF3"
constexpr uint8_t kStateVersion = 1;
}  // namespace

AmdNbFunction3::AmdNbFunction3(unsigned node, uint16_t deviceId, bool legacyDev, uint8_t devDomains, uint8_t devMaps,
                               SlDevProtection& slb)
    : node_(node), legacyDev_(legacyDev), slb_(slb) {
  header_.deviceId = deviceId;
  header_.classCode = 0x060000;  // host bridge
  header_.headerType = 0x80;
  header_.capPointer = legacyDev ? static_cast<uint8_t>(dev::kCapOffset) : 0;
  if (legacyDev) {
    dev_.baseLo.assign(devMaps, 0);
    dev_.baseHi.assign(devMaps, 0);
    dev_.map.assign(devDomains, 0);
  }
}

void AmdNbFunction3::reset() {
  devOp_ = 0;
  dev::DevRegisters cleared;
  cleared.baseLo.assign(dev_.baseLo.size(), 0);
  cleared.baseHi.assign(dev_.baseHi.size(), 0);
  cleared.map.assign(dev_.map.size(), 0);
  dev_ = cleared;
}

uint32_t AmdNbFunction3::devCap() const {
  return static_cast<uint32_t>(dev_.baseLo.size()) << 16 | static_cast<uint32_t>(dev_.map.size()) << 8;
}

uint32_t AmdNbFunction3::readDev() const {
  const uint8_t function = static_cast<uint8_t>(devOp_ >> 8);
  const size_t index = devOp_ & 0xFF;
  auto at = [index](const std::vector<uint32_t>& v) { return index < v.size() ? v[index] : 0u; };
  switch (function) {
    case dev::kBaseLo: return at(dev_.baseLo);
    case dev::kBaseHi: return at(dev_.baseHi);
    case dev::kMap: return at(dev_.map);
    case dev::kCap: return devCap();
    case dev::kCr: return dev_.cr | (slb_.enabledOn(node_) ? dev::kCrSlDevEn : 0);
    case dev::kErrStatus: return dev_.errStatus;
    case dev::kErrAddrLo: return dev_.errAddrLo;
    case dev::kErrAddrHi: return dev_.errAddrHi;
    default: return 0;
  }
}

void AmdNbFunction3::writeDev(uint32_t value) {
  const uint8_t function = static_cast<uint8_t>(devOp_ >> 8);
  const size_t index = devOp_ & 0xFF;
  auto set = [index](std::vector<uint32_t>& v, uint32_t x) {
    if (index < v.size()) v[index] = x;
  };
  switch (function) {
    case dev::kBaseLo: set(dev_.baseLo, value & dev::kBaseLoMask); break;
    case dev::kBaseHi: set(dev_.baseHi, value); break;
    case dev::kMap: set(dev_.map, value & 0xFFFFF000u); break;
    case dev::kCr:
      dev_.cr = value & dev::kCrStored;
      if ((value & dev::kCrSlDevEn) == 0) slb_.release(node_);
      break;
    default: break;  // DEV_CAP and the error registers are read-only
  }
}

uint32_t AmdNbFunction3::readDword(uint16_t offset) const {
  if (offset < 0x40) return pciHeaderDword(header_, offset);
  if (!legacyDev_) return 0;
  switch (offset) {
    case dev::kCapOffset: return dev::kCapId;  // next pointer 0: the only capability
    case dev::kOpOffset: return devOp_;
    case dev::kDataOffset: return readDev();
    default: return 0;
  }
}

uint32_t AmdNbFunction3::readConfig(const AccessContext&, uint16_t offset, unsigned size) {
  return sizedRead(readDword(static_cast<uint16_t>(offset & ~3u)), offset, size);
}

void AmdNbFunction3::writeConfig(const AccessContext&, uint16_t offset, unsigned size, uint32_t value) {
  if (!legacyDev_) return;
  const uint16_t reg = static_cast<uint16_t>(offset & ~3u);
  if (reg == dev::kOpOffset) {
    devOp_ = sizedMerge(devOp_, offset, size, value) & 0xFFFF;
  } else if (reg == dev::kDataOffset) {
    writeDev(sizedMerge(readDev(), offset, size, value));
  }
}

std::vector<uint8_t> AmdNbFunction3::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u32(devOp_);
  for (const auto* v : {&dev_.baseLo, &dev_.baseHi, &dev_.map})
    for (uint32_t x : *v) w.u32(x);
  for (uint32_t x : {dev_.cr, dev_.errStatus, dev_.errAddrLo, dev_.errAddrHi}) w.u32(x);
  return w.take();
}

void AmdNbFunction3::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, name());
  r.expectHeader(kStateTag, kStateVersion);
  dev::DevRegisters d = dev_;
  const uint32_t op = r.u32("dev_op");
  if (op > 0xFFFF) r.fail("dev_op", "bits above 15 set");
  for (auto* v : {&d.baseLo, &d.baseHi, &d.map})
    for (uint32_t& x : *v) x = r.u32("dev register");
  d.cr = r.u32("dev_cr") & dev::kCrStored;
  d.errStatus = r.u32("dev_err_status");
  d.errAddrLo = r.u32("dev_err_addr_lo");
  d.errAddrHi = r.u32("dev_err_addr_hi");
  r.expectEnd();
  devOp_ = op;
  dev_ = d;
}

}  // namespace dlsim::svm
