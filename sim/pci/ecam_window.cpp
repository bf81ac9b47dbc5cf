#include "sim/pci/ecam_window.h"

#include "sim/pci/config_access_pieces.h"
#include "sim/pci/pci_config_space.h"

namespace dlsim {

namespace {
PciAddress functionOf(uint64_t offset) {
  return {static_cast<uint8_t>(offset >> 20), static_cast<uint8_t>((offset >> 15) & 31),
          static_cast<uint8_t>((offset >> 12) & 7)};
}
uint16_t registerOf(uint64_t offset) { return static_cast<uint16_t>(offset & 0xFFF); }
}  // namespace

uint64_t EcamWindow::read(const AccessContext& ctx, uint64_t offset, unsigned size) {
  uint64_t v = 0;
  for (const ConfigPiece& p : configAccessPieces(offset, size)) {
    const uint64_t part = space_.read(ctx, functionOf(p.offset), registerOf(p.offset), p.size);
    v |= part << (8 * (p.offset - offset));
  }
  return v;
}

void EcamWindow::write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) {
  for (const ConfigPiece& p : configAccessPieces(offset, size)) {
    const unsigned shift = static_cast<unsigned>(8 * (p.offset - offset));
    const uint64_t mask = p.size >= 4 ? 0xFFFFFFFFull : (1ull << (8 * p.size)) - 1;
    space_.write(ctx, functionOf(p.offset), registerOf(p.offset), p.size, static_cast<uint32_t>((value >> shift) & mask));
  }
}

}  // namespace dlsim
