// The VGA CRTC index/data register pair (see vga_crtc.h).
#include "sim/devices/vga_crtc.h"

#include <algorithm>

#include "sim/codec/state_codec.h"

namespace dlsim {

namespace {
constexpr uint32_t kStateTag = 0x43525443;  // "CRTC"
constexpr uint8_t kStateVersion = 1;
constexpr uint8_t kProtect = 0x80;          // CR11 bit 7
constexpr uint8_t kLineCompareBit8 = 0x10;  // CR07 bit 4, writable under Protect
}  // namespace

uint8_t VgaCrtc::readByte(uint64_t offset) const {
  if (offset == 0) return index_;
  if (offset == 1) return reg(index_);
  return 0xFF;
}

void VgaCrtc::writeByte(uint64_t offset, uint8_t v) {
  if (offset == 0) {
    index_ = v;
    return;
  }
  if (offset != 1 || index_ >= kRegisters) return;
  if ((regs_[0x11] & kProtect) && index_ <= 0x07) {
    if (index_ == 0x07) regs_[0x07] = uint8_t((regs_[0x07] & ~kLineCompareBit8) | (v & kLineCompareBit8));
    return;
  }
  regs_[index_] = v;
}

uint64_t VgaCrtc::read(const AccessContext&, uint64_t offset, unsigned size) {
  uint64_t v = 0;
  for (unsigned i = 0; i < size && i < 8; ++i) v |= uint64_t(readByte(offset + i)) << (8 * i);
  return v;
}

void VgaCrtc::write(const AccessContext&, uint64_t offset, unsigned size, uint64_t value) {
  for (unsigned i = 0; i < size && i < 8; ++i) writeByte(offset + i, uint8_t(value >> (8 * i)));
}

std::vector<uint8_t> VgaCrtc::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u8(index_);
  w.bytes(std::vector<uint8_t>(regs_.begin(), regs_.end()));
  return w.take();
}

void VgaCrtc::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "vga-crtc");
  r.expectHeader(kStateTag, kStateVersion);
  uint8_t index = r.u8("index");
  std::vector<uint8_t> regs = r.bytes("registers", kRegisters);
  if (regs.size() != kRegisters) r.fail("registers", "holds " + std::to_string(regs.size()) + " registers, not 25");
  r.expectEnd();
  index_ = index;
  std::copy(regs.begin(), regs.end(), regs_.begin());
}

}  // namespace dlsim
