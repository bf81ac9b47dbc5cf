// TXT's DMA Protected Range: DMA into [top - size, top) is blocked, checked
// after (and independently of) VT-d (chipset datasheets, "DMA Protected
// Range (DPR)"). TXT.DPR (public space 0x330; tboot's txt_dpr_t): bit 0
// lock, [11:4] size in MiB (0: nothing protected), [31:20] top >> 20.
//
// The TXT heap and the SINIT region have no DMA protection of their own: on
// real platforms the BIOS places both inside DPR (a txt-stat dump in Intel
// SecL-DC's product guide: SINIT 0x6fec0000 + 0x40000 and heap 0x6ff00000 +
// 0x100000 below DPR top 0x70000000, 5 MiB). So DMA into them is blocked
// exactly when DPR covers them, and a block there names the heap or SINIT
// region it hit; a heap outside DPR is as open as on hardware.
//
// The register values come from the TXT platform (another part) through a
// callback, read at each access, so the protection follows what is
// programmed now.
#pragma once
#include <cstdint>
#include <functional>
#include <utility>

#include "sim/dma_port.h"

namespace dlsim::txt {

struct TxtDpr {
  bool lock = false;
  uint64_t top = 0;   // first byte above the range
  uint64_t size = 0;  // bytes (a whole number of MiB)
  uint64_t base() const { return top > size ? top - size : 0; }
};
TxtDpr decodeTxtDpr(uint64_t reg);

// What the protection reads from the TXT register space.
struct TxtDmaLayout {
  uint64_t dpr = 0;                      // TXT.DPR
  uint64_t heapBase = 0, heapSize = 0;   // TXT.HEAP.BASE / SIZE
  uint64_t sinitBase = 0, sinitSize = 0; // TXT.SINIT.BASE / SIZE
};

class TxtDprProtection : public DmaProtection {
 public:
  explicit TxtDprProtection(std::function<TxtDmaLayout()> layout) : layout_(std::move(layout)) {}
  std::string name() const override { return "txt-dpr"; }
  bool allow(uint32_t requesterId, uint64_t gpa, uint64_t len, bool write) override;
  // "TXT heap (in DPR)", "SINIT (in DPR)" or "DPR", with the range.
  std::optional<DmaRegion> regionOf(uint64_t gpa, uint64_t len) const override;

 private:
  std::function<TxtDmaLayout()> layout_;
};

}  // namespace dlsim::txt
