// Cuts accesses into register slots (see txt_config_space.h).
#include "txt_model/chipset/txt_config_space.h"

#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_registers.h"

namespace dlsim::txt {

TxtConfigSpace::TxtConfigSpace(TxtChipset& chipset, TxtSpace space) : chipset_(chipset), space_(space) {}

std::string TxtConfigSpace::name() const { return space_ == TxtSpace::Public ? "txt-public" : "txt-private"; }

uint64_t TxtConfigSpace::read(const AccessContext&, uint64_t offset, unsigned size) {
  // Closed private space does not decode (the bus disables its window; this
  // holds for a caller that reaches the device directly too).
  if (space_ == TxtSpace::Private && !chipset_.privateOpen()) return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
  uint64_t out = 0;
  for (unsigned i = 0; i < size && i < 8; ++i) {
    const uint64_t at = offset + i;
    uint64_t byte = 0xFF;
    if (at < reg::kSpaceSize) byte = (chipset_.readSlot(space_, uint32_t(at & ~7ull)) >> (8 * (at & 7))) & 0xFF;
    out |= byte << (8 * i);
  }
  return out;
}

void TxtConfigSpace::write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) {
  if (space_ == TxtSpace::Private && !chipset_.privateOpen()) return;
  // Group the written bytes by slot: one write per register touched, in
  // address order.
  unsigned i = 0;
  while (i < size && i < 8) {
    const uint64_t at = offset + i;
    if (at >= reg::kSpaceSize) break;
    const uint32_t slot = uint32_t(at & ~7ull);
    uint64_t slotValue = 0, mask = 0;
    while (i < size && i < 8 && ((offset + i) & ~7ull) == slot) {
      const unsigned shift = unsigned(8 * ((offset + i) & 7));
      slotValue |= ((value >> (8 * i)) & 0xFF) << shift;
      mask |= 0xFFull << shift;
      ++i;
    }
    chipset_.writeSlot(space_, slot, slotValue, mask, ctx);
  }
}

}  // namespace dlsim::txt
